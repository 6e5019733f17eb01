package io.fastcgibridge.launcher.front;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * A CIDR block ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, or one address) as a regular expression
 * over the text Tomcat gives for a peer, {@code InetAddress.getHostAddress()}: IPv4 in dotted
 * decimal, IPv6 as eight hexadecimal groups without {@code ::}. Tomcat 10.1's {@code RemoteIpValve}
 * takes proxies only as a regular expression; an address written otherwise (such as a compressed
 * IPv6 hop in {@code X-Forwarded-For}) does not match, so it counts as untrusted, never the reverse.
 */
public final class CidrPattern {

    private final String cidr;
    private final Pattern compiled;

    private CidrPattern(String cidr, String regex) {
        this.cidr = cidr;
        this.compiled = Pattern.compile(regex);
    }

    /** The block as the user wrote it. */
    public String cidr() {
        return cidr;
    }

    /** The expression matching exactly the addresses in the block. */
    public String regex() {
        return compiled.pattern();
    }

    /**
     * Parses {@code cidr}: an IPv4 or IPv6 literal, optionally {@code /prefix}; never looked up by name.
     *
     * @throws IllegalArgumentException naming the value, when it is not a literal address with a valid prefix
     */
    public static CidrPattern parse(String cidr) {
        String text = cidr.trim();
        int slash = text.indexOf('/');
        String literal = slash < 0 ? text : text.substring(0, slash);
        boolean ipv4 = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!ipv4 && !(literal.contains(":") && literal.matches("[0-9A-Fa-f.:]+"))) {
            throw new IllegalArgumentException("trusted-proxy: not an IP address or CIDR block: '" + cidr + "'");
        }
        byte[] address;
        try {
            address = InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("trusted-proxy: not an IP address or CIDR block: '" + cidr + "'");
        }
        int bits = address.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("trusted-proxy: the prefix of '" + cidr + "' must be 0 to " + bits);
        }
        return new CidrPattern(text, address.length == 4 ? ipv4(address, prefix) : ipv6(address, prefix));
    }

    /** Whether this textual address is in the block, as the valve will decide it. */
    public boolean matches(String address) {
        return compiled.matcher(address).matches();
    }

    private static String ipv4(byte[] address, int prefix) {
        StringJoiner octets = new StringJoiner("\\.");
        for (int i = 0; i < 4; i++) {
            int fixed = Math.max(0, Math.min(8, prefix - 8 * i));
            int low = (address[i] & 0xFF) & (0xFF << (8 - fixed)) & 0xFF;
            int high = low | (0xFF >> fixed);
            octets.add(decimalRange(low, high));
        }
        return octets.toString();
    }

    /** Every value from low to high, as written without leading zeros. */
    private static String decimalRange(int low, int high) {
        if (low == high) {
            return Integer.toString(low);
        }
        StringJoiner values = new StringJoiner("|", "(?:", ")");
        for (int value = low; value <= high; value++) {
            values.add(Integer.toString(value));
        }
        return values.toString();
    }

    private static String ipv6(byte[] address, int prefix) {
        StringJoiner groups = new StringJoiner(":", "(?:", ")(?:%.+)?");
        for (int i = 0; i < 8; i++) {
            int group = ((address[2 * i] & 0xFF) << 8) | (address[2 * i + 1] & 0xFF);
            groups.add(hexGroup(group, Math.max(0, Math.min(16, prefix - 16 * i))));
        }
        return groups.toString();
    }

    /**
     * A 16-bit group whose first {@code fixed} bits are those of {@code group}: one character class
     * per hexadecimal digit, and for each count of leading digits that may all be zero, the shorter
     * form without them ({@code getHostAddress} drops leading zeros: 0db8 is written db8).
     */
    private static String hexGroup(int group, int fixed) {
        List<String> digits = new ArrayList<>();
        for (int nibble = 0; nibble < 4; nibble++) {
            int fixedHere = Math.max(0, Math.min(4, fixed - 4 * nibble));
            int value = (group >> (12 - 4 * nibble)) & 0xF;
            digits.add(hexDigitClass(value, fixedHere));
        }
        StringJoiner forms = new StringJoiner("|", "(?:", ")");
        for (int dropped = 0; dropped < 4; dropped++) {
            forms.add(String.join("", digits.subList(dropped, 4)));
            if (!mayBeZero(group, fixed, dropped)) {
                break;
            }
        }
        return forms.toString();
    }

    /** Whether the digit at index {@code nibble} may be 0 given the fixed bits. */
    private static boolean mayBeZero(int group, int fixed, int nibble) {
        int fixedHere = Math.max(0, Math.min(4, fixed - 4 * nibble));
        int value = (group >> (12 - 4 * nibble)) & 0xF;
        return fixedHere == 0 || (value >> (4 - fixedHere)) == 0;
    }

    /** The hexadecimal digits (either case) whose first {@code fixed} bits are those of {@code value}. */
    private static String hexDigitClass(int value, int fixed) {
        StringBuilder digits = new StringBuilder("[");
        for (int candidate = 0; candidate < 16; candidate++) {
            if (fixed == 0 || (candidate >> (4 - fixed)) == (value >> (4 - fixed))) {
                String digit = Integer.toHexString(candidate);
                digits.append(digit);
                if (candidate >= 10) {
                    digits.append(digit.toUpperCase(java.util.Locale.ROOT));
                }
            }
        }
        return digits.append(']').toString();
    }
}
