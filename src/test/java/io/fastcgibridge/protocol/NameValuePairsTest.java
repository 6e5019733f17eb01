package io.fastcgibridge.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The name-value pair format of FastCGI 1.0 (section 3.4): a length below 128 takes one byte, a
 * longer one four bytes with the top bit set, big-endian; then the name bytes, then the value bytes.
 */
class NameValuePairsTest {

    // ---------------------------------------------------------------- encode

    @Test
    void shortNameAndValueUseOneByteLengths() {
        assertEncodes("01 01 41 62", pairs("A", "b"));
    }

    @Test
    void pairsAreEncodedInIterationOrder() {
        assertEncodes(
                // 0e 03 "REQUEST_METHOD" "GET"
                "0e 03 52 45 51 55 45 53 54 5f 4d 45 54 48 4f 44 47 45 54"
                        // 0c 00 "QUERY_STRING" ""
                        + " 0c 00 51 55 45 52 59 5f 53 54 52 49 4e 47",
                pairs("REQUEST_METHOD", "GET", "QUERY_STRING", ""));
    }

    @Test
    void emptyNameAndEmptyValueAreTwoZeroLengths() {
        assertEncodes("00 00", pairs("", ""));
    }

    @Test
    void noPairsEncodeToNothing() {
        assertArrayEquals(new byte[0], NameValuePairs.encode(Map.of(), StandardCharsets.US_ASCII, 0));
    }

    @Test
    void valueOf127BytesStillUsesAOneByteLength() {
        String value = "a".repeat(127);
        assertEncodes("01 7f 56" + " 61".repeat(127), pairs("V", value));
    }

    @Test
    void valueOf128BytesUsesAFourByteLengthWithTheTopBitSet() {
        String value = "a".repeat(128);
        assertEncodes("01 80 00 00 80 56" + " 61".repeat(128), pairs("V", value));
    }

    @Test
    void nameOf128BytesUsesAFourByteLengthToo() {
        String name = "N".repeat(128);
        assertEncodes("80 00 00 80 01" + " 4e".repeat(128) + " 76", pairs(name, "v"));
    }

    @Test
    void valueOf70000BytesNeedsMoreThanSixteenBitsOfLength() {
        String value = "x".repeat(70_000); // 70000 = 0x00011170
        byte[] encoded = NameValuePairs.encode(pairs("V", value), StandardCharsets.US_ASCII, Integer.MAX_VALUE);
        assertEquals(1 + 4 + 1 + 70_000, encoded.length);
        assertEquals(canonical("01 80 01 11 70 56"), hex(encoded, 0, 6));
        for (int i = 6; i < encoded.length; i++) {
            assertEquals('x', encoded[i], "value byte " + (i - 6));
        }
    }

    @Test
    void longNameAndLongValueBothUseFourByteLengths() {
        String name = "n".repeat(300); // 300 = 0x12c
        String value = "v".repeat(70_000);
        byte[] encoded = NameValuePairs.encode(pairs(name, value), StandardCharsets.US_ASCII, Integer.MAX_VALUE);
        assertEquals(4 + 4 + 300 + 70_000, encoded.length);
        assertEquals(canonical("80 00 01 2c 80 01 11 70"), hex(encoded, 0, 8));
        assertEquals('n', encoded[8]);
        assertEquals('n', encoded[8 + 299]);
        assertEquals('v', encoded[8 + 300]);
    }

    @Test
    void lengthsCountBytesInTheCharsetNotCharacters() {
        // "é" and "ü" are two bytes each in UTF-8.
        byte[] encoded = NameValuePairs.encode(pairs("é", "ü"), StandardCharsets.UTF_8, 100);
        assertEquals(canonical("02 02 c3 a9 c3 bc"), hex(encoded));
    }

    @Test
    void lengthSizeIsOneBelow128AndFourFrom128() {
        assertEquals(1, NameValuePairs.lengthSize(0));
        assertEquals(1, NameValuePairs.lengthSize(127));
        assertEquals(4, NameValuePairs.lengthSize(128));
        assertEquals(4, NameValuePairs.lengthSize(70_000));
        assertEquals(4, NameValuePairs.lengthSize(Integer.MAX_VALUE));
    }

    @Test
    void putWritesOnePairIntoABuffer() {
        ByteBuffer out = ByteBuffer.allocate(200);
        NameValuePairs.put(out, bytes("AB"), bytes("c"));
        NameValuePairs.put(out, bytes(""), bytes("z".repeat(128)));
        out.flip();
        byte[] written = new byte[out.remaining()];
        out.get(written);
        assertEquals("02 01 41 42 63 00 80 00 00 80" + " 7a".repeat(128), hex(written));
    }

    @Test
    void encodeAcceptsExactlyMaxBytes() {
        // A=b takes 4 bytes.
        assertArrayEquals(hex("01 01 41 62"), NameValuePairs.encode(pairs("A", "b"), StandardCharsets.US_ASCII, 4));
        // 128-byte value: 1 + 4 + 1 + 128 = 134 bytes.
        assertEquals(134, NameValuePairs.encode(pairs("V", "a".repeat(128)), StandardCharsets.US_ASCII, 134).length);
    }

    @Test
    void encodeRejectsPairsThatExceedMaxBytes() {
        assertThrows(IllegalArgumentException.class,
                () -> NameValuePairs.encode(pairs("A", "b"), StandardCharsets.US_ASCII, 3));
        assertThrows(IllegalArgumentException.class,
                () -> NameValuePairs.encode(pairs("V", "a".repeat(128)), StandardCharsets.US_ASCII, 133));
        // Only the second pair crosses the limit.
        assertThrows(IllegalArgumentException.class,
                () -> NameValuePairs.encode(pairs("A", "b", "C", "d"), StandardCharsets.US_ASCII, 7));
        // The 70,000-byte value does not fit in one record's content.
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> NameValuePairs.encode(pairs("V", "x".repeat(70_000)), StandardCharsets.US_ASCII,
                        FastCgi.MAX_CONTENT_LENGTH));
        assertTrue(tooBig.getMessage().contains("65535"), tooBig.getMessage());
    }

    // ---------------------------------------------------------------- decode

    @Test
    void decodesOneByteLengths() throws ProtocolException {
        assertEquals(pairs("A", "b", "BC", ""), decode("01 01 41 62   02 00 42 43"));
    }

    @Test
    void decodesPairsInWireOrder() throws ProtocolException {
        Map<String, String> decoded = decode(
                "0e 03 52 45 51 55 45 53 54 5f 4d 45 54 48 4f 44 47 45 54"
                        + " 0c 00 51 55 45 52 59 5f 53 54 52 49 4e 47");
        assertEquals(List.of("REQUEST_METHOD", "QUERY_STRING"), List.copyOf(decoded.keySet()));
        assertEquals("GET", decoded.get("REQUEST_METHOD"));
        assertEquals("", decoded.get("QUERY_STRING"));
    }

    @Test
    void decodesThe127And128ByteBoundary() throws ProtocolException {
        String v127 = "a".repeat(127);
        String v128 = "b".repeat(128);
        Map<String, String> decoded = decode("01 7f 56" + " 61".repeat(127) + " 01 80 00 00 80 57" + " 62".repeat(128));
        assertEquals(pairs("V", v127, "W", v128), decoded);
    }

    @Test
    void decodesAFourByteLengthEvenForAShortString() throws ProtocolException {
        assertEquals(pairs("A", "b"), decode("80 00 00 01 80 00 00 01 41 62"));
    }

    @Test
    void decodesA70000ByteValue() throws ProtocolException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(hex("01 80 01 11 70 56"));
        wire.writeBytes("y".repeat(70_000).getBytes(StandardCharsets.US_ASCII));
        Map<String, String> decoded = NameValuePairs.decode(ByteBuffer.wrap(wire.toByteArray()), StandardCharsets.US_ASCII);
        assertEquals(1, decoded.size());
        assertEquals("y".repeat(70_000), decoded.get("V"));
    }

    @Test
    void decodeUsesTheGivenCharset() throws ProtocolException {
        Map<String, String> decoded = NameValuePairs.decode(ByteBuffer.wrap(hex("02 02 c3 a9 c3 bc")), StandardCharsets.UTF_8);
        assertEquals(pairs("é", "ü"), decoded);
    }

    @Test
    void decodeUsesTheBufferFromItsPositionToItsLimitAndConsumesIt() throws ProtocolException {
        byte[] wire = hex("ff ff   01 01 41 62   ee");
        ByteBuffer in = ByteBuffer.wrap(wire, 2, 4);
        assertEquals(pairs("A", "b"), NameValuePairs.decode(in, StandardCharsets.US_ASCII));
        assertEquals(6, in.position());

        ByteBuffer slice = ByteBuffer.wrap(wire, 2, 4).slice(); // array offset 2
        assertEquals(pairs("A", "b"), NameValuePairs.decode(slice, StandardCharsets.US_ASCII));
        assertEquals(0, slice.remaining());
    }

    @Test
    void decodeWorksOnDirectAndReadOnlyBuffers() throws ProtocolException {
        byte[] wire = hex("01 01 41 62   01 80 00 00 80 57" + " 62".repeat(128));
        Map<String, String> expected = pairs("A", "b", "W", "b".repeat(128));

        ByteBuffer direct = ByteBuffer.allocateDirect(wire.length).put(wire).flip();
        assertEquals(expected, NameValuePairs.decode(direct, StandardCharsets.US_ASCII));

        ByteBuffer readOnly = ByteBuffer.wrap(wire).asReadOnlyBuffer();
        assertEquals(expected, NameValuePairs.decode(readOnly, StandardCharsets.US_ASCII));
    }

    @Test
    void laterDuplicateNameReplacesTheEarlierValue() throws ProtocolException {
        Map<String, String> decoded = decode("01 01 41 31   01 01 42 32   01 01 41 33");
        assertEquals(List.of("A", "B"), List.copyOf(decoded.keySet()));
        assertEquals("3", decoded.get("A"));
    }

    @Test
    void emptyContentDecodesToNoPairs() throws ProtocolException {
        assertEquals(Map.of(), decode(""));
    }

    @Test
    void encodeThenDecodeGivesThePairsBack() throws ProtocolException {
        Map<String, String> original = pairs(
                "SCRIPT_FILENAME", "/var/www/index.php",
                "EMPTY", "",
                "LONG_NAME_" + "n".repeat(200), "short",
                "LONG_VALUE", "v".repeat(5000),
                "X", "y".repeat(127),
                "Y", "z".repeat(128));
        byte[] encoded = NameValuePairs.encode(original, StandardCharsets.US_ASCII, FastCgi.MAX_CONTENT_LENGTH);
        Map<String, String> decoded = NameValuePairs.decode(ByteBuffer.wrap(encoded), StandardCharsets.US_ASCII);
        assertEquals(original, decoded);
        assertEquals(List.copyOf(original.keySet()), List.copyOf(decoded.keySet()));
    }

    // ---------------------------------------------------------------- decode errors

    @Test
    void valueLengthMissingIsALengthCutShort() {
        ProtocolException e = assertDecodeFails("01");
        assertTrue(e.getMessage().contains("cut short"), e.getMessage());
    }

    @Test
    void secondPairWithOnlyItsNameLengthIsALengthCutShort() {
        ProtocolException e = assertDecodeFails("01 01 41 62   05");
        assertTrue(e.getMessage().contains("cut short"), e.getMessage());
    }

    @Test
    void fourByteNameLengthCutShort() {
        ProtocolException e = assertDecodeFails("80 00 01");
        assertTrue(e.getMessage().contains("four-byte"), e.getMessage());
    }

    @Test
    void fourByteValueLengthCutShort() {
        ProtocolException e = assertDecodeFails("01 80 00 00");
        assertTrue(e.getMessage().contains("four-byte"), e.getMessage());
    }

    @Test
    void pairThatOverrunsTheContent() {
        // Name of 2 bytes and value of 3 bytes announced, only 3 bytes follow.
        ProtocolException e = assertDecodeFails("02 03 41 42 43");
        assertTrue(e.getMessage().contains("overruns"), e.getMessage());
        assertTrue(e.getMessage().contains("2 + 3"), e.getMessage());
    }

    @Test
    void hugeAnnouncedLengthIsAnOverrunNotAnAllocation() {
        // 0x7fffffff name length, 0x7fffffff value length, nothing after.
        ProtocolException e = assertDecodeFails("ff ff ff ff ff ff ff ff");
        assertTrue(e.getMessage().contains("overruns"), e.getMessage());
    }

    @Test
    void secondPairOverrunningAfterAGoodOne() {
        ProtocolException e = assertDecodeFails("01 01 41 62   01 80 00 00 80 56 61 61");
        assertTrue(e.getMessage().contains("overruns"), e.getMessage());
    }

    // ---------------------------------------------------------------- helpers

    /** Bytes from hex pairs separated by any amount of whitespace, e.g. {@code hex("01 01 41 62")}. */
    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s+", ""));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    /** The same hex text, lower-case with single spaces, for comparing with {@link #hex(byte[])}. */
    private static String canonical(String hexText) {
        return hex(hex(hexText));
    }

    private static String hex(byte[] bytes, int from, int to) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes, from, to);
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }

    private static Map<String, String> pairs(String... namesAndValues) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            pairs.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return pairs;
    }

    private static void assertEncodes(String expectedHex, Map<String, String> pairs) {
        byte[] encoded = NameValuePairs.encode(pairs, StandardCharsets.US_ASCII, Integer.MAX_VALUE);
        assertEquals(canonical(expectedHex), hex(encoded));
    }

    private static Map<String, String> decode(String wireHex) throws ProtocolException {
        ByteBuffer in = ByteBuffer.wrap(hex(wireHex));
        Map<String, String> decoded = NameValuePairs.decode(in, StandardCharsets.US_ASCII);
        assertEquals(0, in.remaining(), "decode consumes the whole content");
        return decoded;
    }

    private static ProtocolException assertDecodeFails(String wireHex) {
        return assertThrows(ProtocolException.class,
                () -> NameValuePairs.decode(ByteBuffer.wrap(hex(wireHex)), StandardCharsets.US_ASCII));
    }
}
