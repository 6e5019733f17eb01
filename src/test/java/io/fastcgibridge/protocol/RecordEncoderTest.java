package io.fastcgibridge.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exact bytes {@link RecordEncoder} writes, compared with fixtures typed from the FastCGI 1.0
 * specification: header = version, type, requestId (2 bytes), contentLength (2 bytes),
 * paddingLength, reserved.
 */
class RecordEncoderTest {

    // ---------------------------------------------------------------- fixed-size records

    @Test
    void beginRequestForResponderWithKeepConnection() {
        ByteBuffer out = ByteBuffer.allocate(64);
        RecordEncoder.beginRequest(out, 1, Role.RESPONDER, true);
        assertWritten("01 01 00 01 00 08 00 00   00 01 01 00 00 00 00 00", out);
    }

    @Test
    void beginRequestForFilterWithoutKeepConnectionAndTwoByteRequestId() {
        ByteBuffer out = ByteBuffer.allocate(64);
        RecordEncoder.beginRequest(out, 0x1234, Role.FILTER, false);
        assertWritten("01 01 12 34 00 08 00 00   00 03 00 00 00 00 00 00", out);
    }

    @Test
    void beginRequestForAuthorizerWithHighestRequestId() {
        ByteBuffer out = ByteBuffer.allocate(64);
        RecordEncoder.beginRequest(out, 65535, Role.AUTHORIZER, true);
        assertWritten("01 01 ff ff 00 08 00 00   00 02 01 00 00 00 00 00", out);
    }

    @Test
    void abortRequestHasNoContent() {
        ByteBuffer out = ByteBuffer.allocate(64);
        RecordEncoder.abortRequest(out, 2);
        assertWritten("01 02 00 02 00 00 00 00", out);
    }

    @Test
    void endRequestWithAppStatusZeroAndRequestComplete() {
        ByteBuffer out = ByteBuffer.allocate(64);
        RecordEncoder.endRequest(out, 1, 0, ProtocolStatus.REQUEST_COMPLETE);
        assertWritten("01 03 00 01 00 08 00 00   00 00 00 00 00 00 00 00", out);
    }

    @Test
    void endRequestCarriesFourByteAppStatusAndEveryProtocolStatus() {
        ByteBuffer out = ByteBuffer.allocate(64);
        RecordEncoder.endRequest(out, 7, 0x01020304, ProtocolStatus.CANT_MPX_CONN);
        assertWritten("01 03 00 07 00 08 00 00   01 02 03 04 01 00 00 00", out);

        out = ByteBuffer.allocate(64);
        RecordEncoder.endRequest(out, 7, -1, ProtocolStatus.OVERLOADED);
        assertWritten("01 03 00 07 00 08 00 00   ff ff ff ff 02 00 00 00", out);

        out = ByteBuffer.allocate(64);
        RecordEncoder.endRequest(out, 0x0100, 255, ProtocolStatus.UNKNOWN_ROLE);
        assertWritten("01 03 01 00 00 08 00 00   00 00 00 ff 03 00 00 00", out);
    }

    @Test
    void unknownTypeNamesTheTypeInTheFirstContentByte() {
        ByteBuffer out = ByteBuffer.allocate(64);
        RecordEncoder.unknownType(out, 42);
        assertWritten("01 0b 00 00 00 08 00 00   2a 00 00 00 00 00 00 00", out);

        out = ByteBuffer.allocate(64);
        RecordEncoder.unknownType(out, 200);
        assertWritten("01 0b 00 00 00 08 00 00   c8 00 00 00 00 00 00 00", out);
    }

    // ---------------------------------------------------------------- stream records

    @Test
    void paramsRecordIsPaddedToAMultipleOfEight() {
        ByteBuffer out = ByteBuffer.allocate(64);
        // One name-value pair A=b: 01 01 'A' 'b' -> 4 bytes of content, 4 of padding.
        ByteBuffer content = ByteBuffer.wrap(hex("01 01 41 62"));
        assertEquals(4, RecordEncoder.stream(out, RecordType.PARAMS, 1, content));
        assertWritten("01 04 00 01 00 04 04 00   01 01 41 62 00 00 00 00", out);
        assertEquals(0, content.remaining());
    }

    @Test
    void stdinRecordOfFiveBytesHasThreeBytesOfPadding() {
        ByteBuffer out = ByteBuffer.allocate(64);
        assertEquals(5, RecordEncoder.stream(out, RecordType.STDIN, 1, ascii("hello")));
        assertWritten("01 05 00 01 00 05 03 00   68 65 6c 6c 6f 00 00 00", out);
    }

    @Test
    void stdoutRecordOfEightBytesHasNoPadding() {
        ByteBuffer out = ByteBuffer.allocate(64);
        assertEquals(8, RecordEncoder.stream(out, RecordType.STDOUT, 3, ascii("12345678")));
        assertWritten("01 06 00 03 00 08 00 00   31 32 33 34 35 36 37 38", out);
    }

    @Test
    void stderrRecordOfOneByteHasSevenBytesOfPadding() {
        ByteBuffer out = ByteBuffer.allocate(64);
        assertEquals(1, RecordEncoder.stream(out, RecordType.STDERR, 1, ascii("x")));
        assertWritten("01 07 00 01 00 01 07 00   78 00 00 00 00 00 00 00", out);
    }

    @Test
    void dataRecordOfNineBytesIsPaddedToSixteen() {
        ByteBuffer out = ByteBuffer.allocate(64);
        assertEquals(9, RecordEncoder.stream(out, RecordType.DATA, 0x0102, ascii("datadata!")));
        assertWritten("01 08 01 02 00 09 07 00   64 61 74 61 64 61 74 61   21 00 00 00 00 00 00 00", out);
    }

    @Test
    void paddingIsTheDistanceToTheNextMultipleOfEight() {
        int[][] lengthAndPadding = {
            {0, 0}, {1, 7}, {2, 6}, {3, 5}, {4, 4}, {5, 3}, {6, 2}, {7, 1}, {8, 0}, {9, 7},
            {15, 1}, {16, 0}, {65528, 0}, {65529, 7}, {65535, 1},
        };
        for (int[] pair : lengthAndPadding) {
            assertEquals(pair[1], RecordEncoder.paddingFor(pair[0]), "padding for " + pair[0]);
            assertEquals(8 + pair[0] + pair[1], RecordEncoder.recordLength(pair[0]), "record length for " + pair[0]);
        }
    }

    @Test
    void everyStreamTypeHasItsOwnCode() {
        Map<RecordType, String> codes = new LinkedHashMap<>();
        codes.put(RecordType.PARAMS, "04");
        codes.put(RecordType.STDIN, "05");
        codes.put(RecordType.STDOUT, "06");
        codes.put(RecordType.STDERR, "07");
        codes.put(RecordType.DATA, "08");
        codes.forEach((type, code) -> {
            ByteBuffer out = ByteBuffer.allocate(64);
            assertEquals(2, RecordEncoder.stream(out, type, 9, ascii("ok")));
            assertWritten("01 " + code + " 00 09 00 02 06 00   6f 6b 00 00 00 00 00 00", out);
        });
    }

    @Test
    void largestStreamRecordCarries65535BytesAndOneByteOfPadding() {
        byte[] bytes = pattern(65535);
        ByteBuffer out = ByteBuffer.allocate(70_000);
        ByteBuffer content = ByteBuffer.wrap(bytes);

        assertEquals(65535, RecordEncoder.stream(out, RecordType.STDOUT, 1, content));

        assertEquals(0, content.remaining());
        assertEquals(8 + 65535 + 1, out.position());
        byte[] written = written(out);
        assertArrayEquals(hex("01 06 00 01 ff ff 01 00"), Arrays.copyOfRange(written, 0, 8));
        assertArrayEquals(bytes, Arrays.copyOfRange(written, 8, 8 + 65535));
        assertEquals(0, written[8 + 65535], "padding byte");
    }

    @Test
    void contentLargerThanOneRecordIsSplitAndTheContentBufferAdvances() {
        byte[] bytes = pattern(70_000);
        ByteBuffer content = ByteBuffer.wrap(bytes);
        ByteBuffer out = ByteBuffer.allocate(80_000);

        assertEquals(65535, RecordEncoder.stream(out, RecordType.STDOUT, 1, content));
        assertEquals(65535, content.position());
        assertEquals(70_000 - 65535, content.remaining());

        // 4465 = 0x1171 bytes left; 4465 % 8 = 1, so 7 bytes of padding.
        assertEquals(4465, RecordEncoder.stream(out, RecordType.STDOUT, 1, content));
        assertEquals(70_000, content.position());
        assertEquals(0, content.remaining());

        byte[] written = written(out);
        assertEquals((8 + 65535 + 1) + (8 + 4465 + 7), written.length);
        int second = 8 + 65535 + 1;
        assertArrayEquals(hex("01 06 00 01 11 71 07 00"), Arrays.copyOfRange(written, second, second + 8));
        assertArrayEquals(Arrays.copyOfRange(bytes, 65535, 70_000),
                Arrays.copyOfRange(written, second + 8, second + 8 + 4465));
        assertArrayEquals(new byte[7], Arrays.copyOfRange(written, second + 8 + 4465, written.length));
    }

    @Test
    void streamTakesContentFromItsCurrentPositionOnly() {
        ByteBuffer content = ascii("skip-keep");
        content.position(5).limit(9);
        ByteBuffer out = ByteBuffer.allocate(64);
        assertEquals(4, RecordEncoder.stream(out, RecordType.STDOUT, 1, content));
        assertWritten("01 06 00 01 00 04 04 00   6b 65 65 70 00 00 00 00", out);
        assertEquals(9, content.position());
    }

    @Test
    void streamIntoASmallOutputBufferTakesOnlyWhatFitsAndSaysHowMuch() {
        ByteBuffer content = ByteBuffer.wrap(pattern(1000));
        ByteBuffer out = ByteBuffer.allocate(100);

        int taken = RecordEncoder.stream(out, RecordType.STDOUT, 1, content);

        assertTrue(taken > 0 && taken < 1000, "took " + taken);
        assertEquals(taken, content.position(), "content advances by what was taken");
        assertEquals(RecordEncoder.recordLength(taken), out.position(), "one whole, padded record");
        assertTrue(out.position() <= 100);
        assertTrue(taken >= 100 - 8 - 7 - 7, "uses the room it has, took " + taken);
        byte[] written = written(out);
        assertEquals(taken, ((written[4] & 0xFF) << 8) | (written[5] & 0xFF), "content length field");
        assertEquals(RecordEncoder.paddingFor(taken), written[6] & 0xFF, "padding length field");
        assertArrayEquals(Arrays.copyOfRange(content.array(), 0, taken),
                Arrays.copyOfRange(written, 8, 8 + taken));
    }

    @Test
    void streamFillsAnOutputBufferOfSixteenBytesWithOneRecord() {
        ByteBuffer content = ascii("abcdefghijkl");
        ByteBuffer out = ByteBuffer.allocate(16);

        int taken = RecordEncoder.stream(out, RecordType.STDOUT, 1, content);

        assertTrue(taken >= 1 && taken <= 8, "took " + taken);
        assertEquals(RecordEncoder.recordLength(taken), out.position());
        assertEquals(taken, content.position());
    }

    @Test
    void streamReturnsMinusOneWhenTheOutputBufferHasNoRoom() {
        for (int room : new int[] {0, 1, 7, 8, 9, 15}) {
            ByteBuffer content = ascii("some content");
            ByteBuffer out = ByteBuffer.allocate(64);
            out.limit(room);

            assertEquals(-1, RecordEncoder.stream(out, RecordType.STDOUT, 1, content), "room " + room);

            assertEquals(0, out.position(), "nothing written with room " + room);
            assertEquals(0, content.position(), "content not advanced with room " + room);
        }
    }

    @Test
    void streamOfEmptyContentWritesTheRecordThatEndsTheStream() {
        ByteBuffer out = ByteBuffer.allocate(64);
        assertEquals(0, RecordEncoder.stream(out, RecordType.STDIN, 1, ByteBuffer.allocate(0)));
        assertWritten("01 05 00 01 00 00 00 00", out);
    }

    @Test
    void endOfStreamIsAnEmptyRecordOfTheStreamType() {
        Map<RecordType, String> expected = new LinkedHashMap<>();
        expected.put(RecordType.PARAMS, "01 04 00 01 00 00 00 00");
        expected.put(RecordType.STDIN, "01 05 00 01 00 00 00 00");
        expected.put(RecordType.STDOUT, "01 06 00 01 00 00 00 00");
        expected.put(RecordType.STDERR, "01 07 00 01 00 00 00 00");
        expected.put(RecordType.DATA, "01 08 00 01 00 00 00 00");
        expected.forEach((type, bytes) -> {
            ByteBuffer out = ByteBuffer.allocate(64);
            RecordEncoder.endOfStream(out, type, 1);
            assertWritten(bytes, out);
        });
        ByteBuffer out = ByteBuffer.allocate(64);
        RecordEncoder.endOfStream(out, RecordType.STDIN, 0xBEEF);
        assertWritten("01 05 be ef 00 00 00 00", out);
    }

    @Test
    void streamRejectsTypesThatAreNotStreams() {
        for (RecordType type : List.of(RecordType.BEGIN_REQUEST, RecordType.ABORT_REQUEST, RecordType.END_REQUEST,
                RecordType.GET_VALUES, RecordType.GET_VALUES_RESULT, RecordType.UNKNOWN_TYPE)) {
            ByteBuffer out = ByteBuffer.allocate(64);
            assertThrows(IllegalArgumentException.class,
                    () -> RecordEncoder.stream(out, type, 1, ascii("x")), type.toString());
            assertEquals(0, out.position());
        }
    }

    // ---------------------------------------------------------------- management records

    @Test
    void getValuesAsksForTheThreeSpecificationVariablesWithEmptyValues() {
        ByteBuffer out = ByteBuffer.allocate(128);
        RecordEncoder.getValues(out, List.of(FastCgi.MAX_CONNS, FastCgi.MAX_REQS, FastCgi.MPXS_CONNS));
        assertWritten(
                "01 09 00 00 00 30 00 00"
                        // 0e 00 "FCGI_MAX_CONNS"
                        + " 0e 00 46 43 47 49 5f 4d 41 58 5f 43 4f 4e 4e 53"
                        // 0d 00 "FCGI_MAX_REQS"
                        + " 0d 00 46 43 47 49 5f 4d 41 58 5f 52 45 51 53"
                        // 0f 00 "FCGI_MPXS_CONNS"
                        + " 0f 00 46 43 47 49 5f 4d 50 58 53 5f 43 4f 4e 4e 53",
                out);
    }

    @Test
    void getValuesWithNoNamesIsAnEmptyManagementRecord() {
        ByteBuffer out = ByteBuffer.allocate(64);
        RecordEncoder.getValues(out, List.of());
        assertWritten("01 09 00 00 00 00 00 00", out);
    }

    @Test
    void getValuesResultCarriesTheAnsweredValuesPadded() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(FastCgi.MAX_CONNS, "10");
        values.put(FastCgi.MPXS_CONNS, "0");
        ByteBuffer out = ByteBuffer.allocate(128);
        RecordEncoder.getValuesResult(out, values);
        assertWritten(
                "01 0a 00 00 00 24 04 00"
                        // 0e 02 "FCGI_MAX_CONNS" "10"
                        + " 0e 02 46 43 47 49 5f 4d 41 58 5f 43 4f 4e 4e 53 31 30"
                        // 0f 01 "FCGI_MPXS_CONNS" "0"
                        + " 0f 01 46 43 47 49 5f 4d 50 58 53 5f 43 4f 4e 4e 53 30"
                        + " 00 00 00 00",
                out);
    }

    // ---------------------------------------------------------------- header

    @Test
    void headerWritesEveryFieldBigEndian() {
        ByteBuffer out = ByteBuffer.allocate(64);
        RecordEncoder.header(out, RecordType.STDOUT, 0xABCD, 0x1234, 4);
        assertWritten("01 06 ab cd 12 34 04 00", out);
    }

    @Test
    void headerAcceptsTheLimitsOfItsFields() {
        ByteBuffer out = ByteBuffer.allocate(64);
        RecordEncoder.header(out, RecordType.STDOUT, 0, 0, 0);
        RecordEncoder.header(out, RecordType.STDOUT, 65535, 65535, 1);
        assertWritten("01 06 00 00 00 00 00 00   01 06 ff ff ff ff 01 00", out);
    }

    @Test
    void headerRejectsContentLongerThan65535() {
        ByteBuffer out = ByteBuffer.allocate(64);
        assertThrows(IllegalArgumentException.class,
                () -> RecordEncoder.header(out, RecordType.STDOUT, 1, 65536, 0));
        assertThrows(IllegalArgumentException.class,
                () -> RecordEncoder.header(out, RecordType.STDOUT, 1, Integer.MAX_VALUE, 0));
        assertThrows(IllegalArgumentException.class,
                () -> RecordEncoder.header(out, RecordType.STDOUT, 1, -1, 0));
        assertEquals(0, out.position(), "nothing written for a rejected header");
    }

    @Test
    void headerRejectsRequestIdsOutsideSixteenBits() {
        ByteBuffer out = ByteBuffer.allocate(64);
        assertThrows(IllegalArgumentException.class,
                () -> RecordEncoder.header(out, RecordType.STDOUT, 65536, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> RecordEncoder.header(out, RecordType.STDOUT, -1, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> RecordEncoder.beginRequest(out, 70_000, Role.RESPONDER, true));
        assertEquals(0, out.position(), "nothing written for a rejected header");
    }

    // ---------------------------------------------------------------- helpers

    /** Bytes from hex pairs separated by any amount of whitespace, e.g. {@code hex("01 06 00 01")}. */
    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s+", ""));
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Deterministic bytes that are not all alike, so a misplaced byte shows. */
    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + (i >>> 8));
        }
        return bytes;
    }

    /** What was written into {@code out}, from 0 to its position. */
    private static byte[] written(ByteBuffer out) {
        byte[] bytes = new byte[out.position()];
        out.duplicate().flip().get(bytes);
        return bytes;
    }

    private static void assertWritten(String expectedHex, ByteBuffer out) {
        HexFormat format = HexFormat.ofDelimiter(" ");
        assertEquals(format.formatHex(hex(expectedHex)), format.formatHex(written(out)));
    }
}
