package io.fastcgibridge.launcher.front;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A CIDR block's expression matches exactly the addresses in the block, in the text Tomcat gives
 * for a peer: checked against the block's bits for addresses near and far from its edges.
 */
class CidrPatternTest {

    private final Random random = new Random(12);

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/8", "172.16.0.0/12", "192.168.1.128/25", "100.64.0.0/10", "203.0.113.7",
            "203.0.113.7/32", "0.0.0.0/0", "127.0.0.0/8", "10.20.30.40/27", "2001:db8::/32", "fd00::/8", "::1",
            "::1/128", "fe80::/10", "2001:db8:abcd:12::/64", "2001:db8::8000/113", "::/0", "2001:db8:0:f00::/55",
            "0:0:0:1::/61"})
    void matchesExactlyTheAddressesInTheBlock(String cidr) throws Exception {
        CidrPattern pattern = CidrPattern.parse(cidr);
        String[] parts = cidr.split("/");
        byte[] base = InetAddress.getByName(parts[0]).getAddress();
        int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : base.length * 8;
        for (int i = 0; i < 3000; i++) {
            byte[] candidate = near(base, prefix);
            String text = InetAddress.getByAddress(candidate).getHostAddress();
            assertEquals(inBlock(candidate, base, prefix), pattern.matches(text), cidr + " and " + text);
        }
    }

    @Test
    void theFirstAndLastAddressesOfABlockAreInAndTheirNeighboursOut() {
        CidrPattern block = CidrPattern.parse("192.168.1.128/25");

        assertTrue(block.matches("192.168.1.128"));
        assertTrue(block.matches("192.168.1.255"));
        assertFalse(block.matches("192.168.1.127"));
        assertFalse(block.matches("192.168.2.128"));
        assertFalse(block.matches("192.168.1.1280"), "no prefix match of a longer text");
    }

    @Test
    void ipv6MatchesTomcatsFormInEitherCaseAndWithAScopeButNotACompressedForm() {
        CidrPattern block = CidrPattern.parse("2001:db8::/32");

        assertTrue(block.matches("2001:db8:0:0:0:0:0:1"));
        assertTrue(block.matches("2001:DB8:0:0:0:0:0:1"));
        assertTrue(block.matches("2001:db8:0:0:0:0:0:1%2"));
        assertFalse(block.matches("2001:db9:0:0:0:0:0:1"));
        assertFalse(block.matches("2001:db8::1"), "a compressed hop counts as untrusted, never the reverse");
        assertTrue(CidrPattern.parse("::1").matches("0:0:0:0:0:0:0:1"));
        assertFalse(CidrPattern.parse("::1").matches("127.0.0.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "proxy.example", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/x", "::1/129", "10.0.0",
            "1", "10.0.0.256"})
    void somethingElseIsRefusedNamingTheValue(String value) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> CidrPattern.parse(value));

        assertTrue(refused.getMessage().startsWith("trusted-proxy: "), refused.getMessage());
        assertTrue(refused.getMessage().contains("'" + value + "'"), refused.getMessage());
    }

    /** An address sharing a random number of leading bits with {@code base}, mostly around the prefix. */
    private byte[] near(byte[] base, int prefix) {
        byte[] candidate = base.clone();
        int bits = base.length * 8;
        int keep = random.nextInt(3) == 0 ? random.nextInt(bits + 1)
                : Math.max(0, Math.min(bits, prefix - 2 + random.nextInt(5)));
        for (int bit = keep; bit < bits; bit++) {
            if (random.nextBoolean()) {
                candidate[bit / 8] ^= (byte) (0x80 >> (bit % 8));
            }
        }
        return candidate;
    }

    private static boolean inBlock(byte[] candidate, byte[] base, int prefix) {
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((candidate[bit / 8] & mask) != (base[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
