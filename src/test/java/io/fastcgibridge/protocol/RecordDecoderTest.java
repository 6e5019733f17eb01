package io.fastcgibridge.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Feeds {@link RecordDecoder} byte streams, whole and cut into pieces every way, and compares what
 * the listener heard, written down as readable events.
 */
class RecordDecoderTest {

    /**
     * What PHP-FPM sends back for {@code <?php error_log("PHP Warning"); echo "Hello World";}}: the
     * output with its headers, a line on stderr, the empty STDOUT record that ends the output and
     * END_REQUEST. 96 bytes; records start at 0, 48, 72 and 80.
     */
    private static final String PHP_FPM_RESPONSE = ""
            // STDOUT, request 1, 38 (0x26) bytes of content, 2 bytes of padding
            + "01 06 00 01 00 26 02 00"
            //   "Content-type: text/html\r\n\r\n"
            + " 43 6f 6e 74 65 6e 74 2d 74 79 70 65 3a 20 74 65 78 74 2f 68 74 6d 6c 0d 0a 0d 0a"
            //   "Hello World"
            + " 48 65 6c 6c 6f 20 57 6f 72 6c 64"
            + " 00 00"
            // STDERR, request 1, 11 bytes "PHP Warning", 5 bytes of padding
            + " 01 07 00 01 00 0b 05 00"
            + " 50 48 50 20 57 61 72 6e 69 6e 67"
            + " 00 00 00 00 00"
            // empty STDOUT: end of the output
            + " 01 06 00 01 00 00 00 00"
            // END_REQUEST, request 1, app status 0, REQUEST_COMPLETE
            + " 01 03 00 01 00 08 00 00"
            + " 00 00 00 00 00 00 00 00";

    private static final List<String> PHP_FPM_EVENTS = List.of(
            "stdout:1:Content-type: text/html\r\n\r\nHello World",
            "stderr:1:PHP Warning",
            "end-of-stdout:1",
            "end:1:0:REQUEST_COMPLETE");

    // ---------------------------------------------------------------- a recorded response

    @Test
    void phpFpmResponseDecodedWhole() {
        byte[] wire = hex(PHP_FPM_RESPONSE);
        assertEquals(96, wire.length);
        assertEquals(PHP_FPM_EVENTS, decodeInPieces(wire));
    }

    @Test
    void sameEventsForEverySplitOfTheStream() {
        byte[] wire = hex(PHP_FPM_RESPONSE);
        for (int cut = 0; cut <= wire.length; cut++) {
            assertEquals(PHP_FPM_EVENTS, decodeInPieces(wire, cut), "split at " + cut);
        }
    }

    @Test
    void sameEventsForEveryTwoSplitsOfTheStream() {
        byte[] wire = hex(PHP_FPM_RESPONSE);
        for (int first = 0; first <= wire.length; first++) {
            for (int second = first; second <= wire.length; second++) {
                assertEquals(PHP_FPM_EVENTS, decodeInPieces(wire, first, second), "split at " + first + ", " + second);
            }
        }
    }

    @Test
    void sameEventsWhenFedOneByteAtATime() {
        byte[] wire = hex(PHP_FPM_RESPONSE);
        int[] everyByte = new int[wire.length - 1];
        Arrays.setAll(everyByte, i -> i + 1);
        assertEquals(PHP_FPM_EVENTS, decodeInPieces(wire, everyByte));
    }

    @Test
    void sameEventsForAThousandRandomSplits() {
        byte[] wire = hex(PHP_FPM_RESPONSE);
        Random random = new Random(1000);
        for (int round = 0; round < 1000; round++) {
            int[] cuts = randomCuts(random, wire.length, 1 + random.nextInt(12));
            boolean direct = random.nextBoolean();
            assertEquals(PHP_FPM_EVENTS, decode(wire, cuts, direct),
                    "cuts " + Arrays.toString(cuts) + (direct ? " in direct buffers" : ""));
        }
    }

    // ---------------------------------------------------------------- every record type

    @Test
    void everyRecordTypeWrittenByTheEncoderIsDecodedWhole() {
        assertEquals(everyTypeEvents(), decodeInPieces(everyTypeStream()));
    }

    @Test
    void everyRecordTypeGivesTheSameEventsForRandomSplits() {
        byte[] wire = everyTypeStream();
        List<String> expected = everyTypeEvents();
        Random random = new Random(42);
        for (int round = 0; round < 1000; round++) {
            int[] cuts = randomCuts(random, wire.length, 1 + random.nextInt(40));
            boolean direct = random.nextBoolean();
            assertEquals(expected, decode(wire, cuts, direct),
                    "cuts " + Arrays.toString(cuts) + (direct ? " in direct buffers" : ""));
        }
    }

    @Test
    void everyRecordTypeGivesTheSameEventsForEverySplitInItsFirstRecords() {
        // The records before the 70,000-byte output: management, BEGIN_REQUEST, PARAMS, STDIN, DATA, ABORT.
        byte[] wire = everyTypeStream();
        List<String> expected = everyTypeEvents();
        for (int cut = 0; cut <= 600; cut++) {
            assertEquals(expected, decodeInPieces(wire, cut), "split at " + cut);
        }
    }

    /** Every record type, two requests multiplexed, as {@link RecordEncoder} writes them. */
    private static byte[] everyTypeStream() {
        ByteBuffer out = ByteBuffer.allocate(100_000);
        RecordEncoder.getValues(out, List.of(FastCgi.MAX_CONNS, FastCgi.MAX_REQS, FastCgi.MPXS_CONNS));
        Map<String, String> values = new LinkedHashMap<>();
        values.put(FastCgi.MAX_CONNS, "10");
        values.put(FastCgi.MAX_REQS, "50");
        values.put(FastCgi.MPXS_CONNS, "0");
        RecordEncoder.getValuesResult(out, values);
        RecordEncoder.unknownType(out, 42);

        RecordEncoder.beginRequest(out, 1, Role.RESPONDER, true);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("SCRIPT_FILENAME", "/var/www/index.php");
        params.put("REQUEST_METHOD", "POST");
        writeAll(out, RecordType.PARAMS, 1,
                NameValuePairs.encode(params, StandardCharsets.US_ASCII, FastCgi.MAX_CONTENT_LENGTH));
        RecordEncoder.endOfStream(out, RecordType.PARAMS, 1);
        RecordEncoder.beginRequest(out, 2, Role.FILTER, false);
        writeAll(out, RecordType.STDIN, 1, ascii("name=value"));
        RecordEncoder.endOfStream(out, RecordType.PARAMS, 2);
        RecordEncoder.endOfStream(out, RecordType.STDIN, 1);
        RecordEncoder.endOfStream(out, RecordType.STDIN, 2);
        writeAll(out, RecordType.DATA, 2, ascii("file data"));
        RecordEncoder.endOfStream(out, RecordType.DATA, 2);
        RecordEncoder.abortRequest(out, 2);

        writeAll(out, RecordType.STDOUT, 1, ascii("Status: 200\r\n\r\n"));
        writeAll(out, RecordType.STDERR, 1, ascii("warning"));
        writeAll(out, RecordType.STDOUT, 1, ascii("body"));
        writeAll(out, RecordType.STDOUT, 2, ascii("two"));
        writeAll(out, RecordType.STDOUT, 1, ascii("more"));
        writeAll(out, RecordType.STDOUT, 1, ascii(" and more")); // a second record, merged in the events
        writeAll(out, RecordType.STDOUT, 1, ascii("z".repeat(70_000))); // two records, merged too
        RecordEncoder.endOfStream(out, RecordType.STDERR, 1);
        RecordEncoder.endOfStream(out, RecordType.STDOUT, 1);
        RecordEncoder.endRequest(out, 1, 0, ProtocolStatus.REQUEST_COMPLETE);
        RecordEncoder.endOfStream(out, RecordType.STDOUT, 2);
        RecordEncoder.endRequest(out, 2, -1, ProtocolStatus.UNKNOWN_ROLE);
        return Arrays.copyOf(out.array(), out.position());
    }

    private static List<String> everyTypeEvents() {
        return List.of(
                "get-values:[FCGI_MAX_CONNS, FCGI_MAX_REQS, FCGI_MPXS_CONNS]",
                "get-values-result:{FCGI_MAX_CONNS=10, FCGI_MAX_REQS=50, FCGI_MPXS_CONNS=0}",
                "unknown-type:42",
                "begin:1:1:keep",
                "params:1:\\x0f\\x12SCRIPT_FILENAME/var/www/index.php\\x0e\\x04REQUEST_METHODPOST",
                "end-of-params:1",
                "begin:2:3:close",
                "stdin:1:name=value",
                "end-of-params:2",
                "end-of-stdin:1",
                "end-of-stdin:2",
                "data:2:file data",
                "end-of-data:2",
                "abort:2",
                "stdout:1:Status: 200\r\n\r\n",
                "stderr:1:warning",
                "stdout:1:body",
                "stdout:2:two",
                "stdout:1:more and more" + "z".repeat(70_000),
                "end-of-stderr:1",
                "end-of-stdout:1",
                "end:1:0:REQUEST_COMPLETE",
                "end-of-stdout:2",
                "end:2:-1:UNKNOWN_ROLE");
    }

    @Test
    void fixedRecordsTypedByHandAreDecoded() {
        byte[] wire = hex(""
                // BEGIN_REQUEST id 1 RESPONDER keep-conn
                + "01 01 00 01 00 08 00 00   00 01 01 00 00 00 00 00"
                // BEGIN_REQUEST id 0x0203, role 99 (not in the specification), no flags
                + "01 01 02 03 00 08 00 00   00 63 00 00 00 00 00 00"
                // ABORT_REQUEST id 1
                + "01 02 00 01 00 00 00 00"
                // END_REQUEST id 0xffff app status 0x01020304 OVERLOADED
                + "01 03 ff ff 00 08 00 00   01 02 03 04 02 00 00 00"
                // UNKNOWN_TYPE 200
                + "01 0b 00 00 00 08 00 00   c8 00 00 00 00 00 00 00");
        assertEquals(List.of(
                "begin:1:1:keep",
                "begin:515:99:close",
                "abort:1",
                "end:65535:16909060:OVERLOADED",
                "unknown-type:200"), decodeInPieces(wire));
    }

    @Test
    void paddingAfterAnyRecordIsSkipped() {
        byte[] wire = hex(""
                // END_REQUEST with 8 bytes of padding a sender chose to add
                + "01 03 00 01 00 08 08 00   00 00 00 05 01 00 00 00   ff ff ff ff ff ff ff ff"
                // ABORT_REQUEST with 3 bytes of padding
                + "01 02 00 01 00 00 03 00   ff ff ff"
                // empty STDOUT with 4 bytes of padding
                + "01 06 00 01 00 00 04 00   ff ff ff ff"
                // GET_VALUES_RESULT with 255 bytes of padding: 0e 01 "FCGI_MAX_CONNS" "1"
                + "01 0a 00 00 00 11 ff 00   0e 01 46 43 47 49 5f 4d 41 58 5f 43 4f 4e 4e 53 31"
                + " ff".repeat(255)
                // STDOUT "ok"
                + "01 06 00 01 00 02 00 00   6f 6b");
        List<String> expected = List.of(
                "end:1:5:CANT_MPX_CONN",
                "abort:1",
                "end-of-stdout:1",
                "get-values-result:{FCGI_MAX_CONNS=1}",
                "stdout:1:ok");
        assertEquals(expected, decodeInPieces(wire));
        for (int cut = 0; cut <= wire.length; cut++) {
            assertEquals(expected, decodeInPieces(wire, cut), "split at " + cut);
        }
    }

    @Test
    void emptyInputIsDecodedToNothing() {
        Recorder recorder = new Recorder();
        RecordDecoder decoder = new RecordDecoder(recorder);
        assertTrue(decoder.decode(ByteBuffer.allocate(0)));
        assertEquals(List.of(), recorder.events);
        assertTrue(decoder.isAtRecordBoundary());
    }

    @Test
    void decoderReadsOnlyBetweenPositionAndLimit() {
        byte[] wire = hex("ee ee ee   01 06 00 01 00 02 06 00 6f 6b 00 00 00 00 00 00   ee ee");
        Recorder recorder = new Recorder();
        RecordDecoder decoder = new RecordDecoder(recorder);
        ByteBuffer in = ByteBuffer.wrap(wire, 3, 16);
        assertTrue(decoder.decode(in));
        assertEquals(19, in.position());
        assertEquals(List.of("stdout:1:ok"), recorder.events);
        assertTrue(decoder.isAtRecordBoundary());
    }

    // ---------------------------------------------------------------- pausing

    @Test
    void listenerThatPausesOnStdoutStopsDecodingAndLeavesTheRestInTheBuffer() {
        Recorder recorder = new Recorder();
        recorder.pauseOn = "stdout";
        RecordDecoder decoder = new RecordDecoder(recorder);
        ByteBuffer in = ByteBuffer.wrap(hex(PHP_FPM_RESPONSE));

        assertFalse(decoder.decode(in), "paused");
        assertEquals(List.of("stdout:1:Content-type: text/html\r\n\r\nHello World"), recorder.events);
        assertEquals(8 + 38, in.position(), "stopped right after the content, before its padding");
        assertFalse(decoder.isAtRecordBoundary(), "padding still to skip");

        recorder.pauseOn = null;
        assertTrue(decoder.decode(in), "continues");
        assertEquals(PHP_FPM_EVENTS, recorder.events);
        assertEquals(96, in.position());
        assertTrue(decoder.isAtRecordBoundary());
    }

    @Test
    void listenerThatPausesInTheMiddleOfARecordGetsTheRestLater() {
        Recorder recorder = new Recorder();
        recorder.pauseOn = "stdout";
        RecordDecoder decoder = new RecordDecoder(recorder);
        byte[] wire = hex(PHP_FPM_RESPONSE);

        // Only the header and the first 10 content bytes arrive.
        ByteBuffer first = ByteBuffer.wrap(wire, 0, 18);
        assertFalse(decoder.decode(first));
        assertEquals(18, first.position());
        assertEquals(List.of("stdout:1:Content-ty"), recorder.events);
        assertFalse(decoder.isAtRecordBoundary());

        ByteBuffer rest = ByteBuffer.wrap(wire, 18, wire.length - 18);
        assertFalse(decoder.decode(rest), "pauses again on the next stdout slice");
        assertEquals(8 + 38, rest.position());

        recorder.pauseOn = null;
        assertTrue(decoder.decode(rest));
        assertEquals(PHP_FPM_EVENTS, recorder.events);
    }

    @Test
    void listenerThatPausesOnTheEmptyEndOfStreamRecordStopsRightAfterIt() {
        Recorder recorder = new Recorder();
        recorder.pauseOn = "end-of-stdout";
        RecordDecoder decoder = new RecordDecoder(recorder);
        ByteBuffer in = ByteBuffer.wrap(hex(PHP_FPM_RESPONSE));

        assertFalse(decoder.decode(in), "paused");
        assertEquals(PHP_FPM_EVENTS.subList(0, 3), recorder.events);
        assertEquals(80, in.position(), "END_REQUEST left in the buffer");
        assertEquals(16, in.remaining());
        assertTrue(decoder.isAtRecordBoundary(), "the empty record has no padding");

        recorder.pauseOn = null;
        assertTrue(decoder.decode(in));
        assertEquals(PHP_FPM_EVENTS, recorder.events);
        assertEquals(0, in.remaining());
    }

    @Test
    void pauseOnAPaddedEmptyEndOfStreamRecordSkipsThePaddingAfterwards() {
        Recorder recorder = new Recorder();
        recorder.pauseOn = "end-of-stdin";
        RecordDecoder decoder = new RecordDecoder(recorder);
        ByteBuffer in = ByteBuffer.wrap(hex("01 05 00 07 00 00 03 00   00 00 00   01 02 00 07 00 00 00 00"));

        assertFalse(decoder.decode(in));
        assertEquals(List.of("end-of-stdin:7"), recorder.events);
        assertEquals(8, in.position());
        assertFalse(decoder.isAtRecordBoundary(), "three bytes of padding to skip");

        recorder.pauseOn = null;
        assertTrue(decoder.decode(in));
        assertEquals(List.of("end-of-stdin:7", "abort:7"), recorder.events);
        assertTrue(decoder.isAtRecordBoundary());
    }

    @Test
    void pausingOnEveryStreamSliceAtEverySplitGivesTheSameEvents() {
        byte[] wire = hex(PHP_FPM_RESPONSE);
        for (int cut = 0; cut <= wire.length; cut++) {
            Recorder recorder = new Recorder();
            recorder.pauseOnEveryStreamSlice = true;
            RecordDecoder decoder = new RecordDecoder(recorder);
            int pauses = 0;
            for (ByteBuffer piece : List.of(ByteBuffer.wrap(wire, 0, cut), ByteBuffer.wrap(wire, cut, wire.length - cut))) {
                while (!decoder.decode(piece)) {
                    pauses++;
                    assertTrue(pauses < 100, "decoder keeps pausing without progress");
                }
                assertFalse(piece.hasRemaining());
            }
            assertEquals(PHP_FPM_EVENTS, recorder.events, "split at " + cut);
            assertTrue(pauses >= 3, "paused on the stdout, stderr and end-of-stdout records, split at " + cut);
        }
    }

    @Test
    void fixedRecordsDoNotPause() {
        Recorder recorder = new Recorder();
        recorder.pauseOnEveryStreamSlice = true;
        RecordDecoder decoder = new RecordDecoder(recorder);
        ByteBuffer in = ByteBuffer.wrap(hex(""
                + "01 01 00 01 00 08 00 00   00 01 01 00 00 00 00 00"
                + "01 02 00 01 00 00 00 00"
                + "01 03 00 01 00 08 00 00   00 00 00 00 00 00 00 00"));
        assertTrue(decoder.decode(in));
        assertEquals(List.of("begin:1:1:keep", "abort:1", "end:1:0:REQUEST_COMPLETE"), recorder.events);
    }

    // ---------------------------------------------------------------- failures

    /** A good STDOUT "ok" record before the bad one, and a good one after it that must be ignored. */
    private static final String BEFORE = "01 06 00 01 00 02 06 00   6f 6b 00 00 00 00 00 00 ";
    private static final String AFTER = " 01 06 00 01 00 04 04 00   6c 61 74 65 00 00 00 00";

    @Test
    void badVersionIsAFailure() {
        String message = assertFailure("02 06 00 01 00 00 00 00");
        assertContains(message, "version", "2");
    }

    @Test
    void recordTypeZeroIsAFailure() {
        String message = assertFailure("01 00 00 01 00 00 00 00");
        assertContains(message, "unknown record type 0");
    }

    @Test
    void recordTypeTwelveIsAFailure() {
        String message = assertFailure("01 0c 00 01 00 00 00 00");
        assertContains(message, "unknown record type 12");
    }

    @Test
    void recordType255IsAFailure() {
        String message = assertFailure("01 ff 00 01 00 00 00 00");
        assertContains(message, "unknown record type 255");
    }

    @Test
    void streamRecordWithRequestIdZeroIsAFailure() {
        String message = assertFailure("01 06 00 00 00 02 06 00   6f 6b 00 00 00 00 00 00");
        assertContains(message, "STDOUT", "request id 0");
    }

    @Test
    void endOfStreamRecordWithRequestIdZeroIsAFailure() {
        String message = assertFailure("01 05 00 00 00 00 00 00");
        assertContains(message, "STDIN", "request id 0");
    }

    @Test
    void endRequestWithRequestIdZeroIsAFailure() {
        String message = assertFailure("01 03 00 00 00 08 00 00   00 00 00 00 00 00 00 00");
        assertContains(message, "END_REQUEST", "request id 0");
    }

    @Test
    void getValuesWithRequestIdOneIsAFailure() {
        String message = assertFailure("01 09 00 01 00 00 00 00");
        assertContains(message, "GET_VALUES", "request id 1");
    }

    @Test
    void endRequestWithContentLengthSevenIsAFailure() {
        String message = assertFailure("01 03 00 01 00 07 01 00   00 00 00 00 00 00 00 00");
        assertContains(message, "END_REQUEST", "8", "7");
    }

    @Test
    void beginRequestWithContentLengthNineIsAFailure() {
        String message = assertFailure("01 01 00 01 00 09 07 00   00 01 01 00 00 00 00 00 00 00 00 00 00 00 00 00");
        assertContains(message, "BEGIN_REQUEST", "8", "9");
    }

    @Test
    void abortRequestWithContentIsAFailure() {
        String message = assertFailure("01 02 00 01 00 08 00 00   00 00 00 00 00 00 00 00");
        assertContains(message, "ABORT_REQUEST", "0", "8");
    }

    @Test
    void unknownTypeWithoutContentIsAFailure() {
        String message = assertFailure("01 0b 00 00 00 00 00 00");
        assertContains(message, "UNKNOWN_TYPE", "8", "0");
    }

    @Test
    void endRequestWithUnknownProtocolStatusNineIsAFailure() {
        String message = assertFailure("01 03 00 01 00 08 00 00   00 00 00 00 09 00 00 00");
        assertContains(message, "END_REQUEST", "protocol status 9");
    }

    @Test
    void getValuesResultWhosePairOverrunsTheContentIsAFailure() {
        // 0e 02 announces a 14-byte name and a 2-byte value; only 6 bytes follow.
        String message = assertFailure("01 0a 00 00 00 08 00 00   0e 02 46 43 47 49 5f 4d");
        assertContains(message, "overruns");
    }

    @Test
    void getValuesResultCutShortInALengthIsAFailure() {
        // One byte of content: the name length, and no value length.
        String message = assertFailure("01 0a 00 00 00 01 07 00   0e 00 00 00 00 00 00 00");
        assertContains(message, "cut short");
    }

    @Test
    void getValuesCutShortInAFourByteLengthIsAFailure() {
        String message = assertFailure("01 09 00 00 00 03 05 00   80 00 00 00 00 00 00 00");
        assertContains(message, "four-byte");
    }

    @Test
    void afterAFailureEverythingIsIgnored() {
        Recorder recorder = new Recorder();
        RecordDecoder decoder = new RecordDecoder(recorder);
        assertTrue(decoder.decode(ByteBuffer.wrap(hex(BEFORE + "02 06 00 01 00 00 00 00" + AFTER))));
        assertTrue(decoder.hasFailed());
        assertFalse(decoder.isAtRecordBoundary());

        ByteBuffer more = ByteBuffer.wrap(hex(PHP_FPM_RESPONSE));
        assertTrue(decoder.decode(more), "a failed decoder says it used its input");
        assertEquals(0, more.remaining(), "and consumes it");
        assertEquals(2, recorder.events.size(), "no event after the failure: " + recorder.events);
        assertTrue(recorder.events.get(1).startsWith("failure:"));
        assertTrue(decoder.hasFailed());
    }

    @Test
    void aHealthyDecoderHasNotFailed() {
        Recorder recorder = new Recorder();
        RecordDecoder decoder = new RecordDecoder(recorder);
        assertFalse(decoder.hasFailed());
        decoder.decode(ByteBuffer.wrap(hex(PHP_FPM_RESPONSE)));
        assertFalse(decoder.hasFailed());
    }

    /**
     * Decodes a good record, {@code badRecordHex} and another good record, whole and split at every
     * point, and checks the failure is reported once, after the good record, with nothing after it.
     *
     * @return the failure's message
     */
    private static String assertFailure(String badRecordHex) {
        byte[] wire = hex(BEFORE + badRecordHex + AFTER);
        List<String> whole = null;
        for (int cut = 0; cut <= wire.length; cut++) {
            Recorder recorder = new Recorder();
            RecordDecoder decoder = new RecordDecoder(recorder);
            for (ByteBuffer piece : List.of(ByteBuffer.wrap(wire, 0, cut), ByteBuffer.wrap(wire, cut, wire.length - cut))) {
                assertTrue(decoder.decode(piece), "split at " + cut);
                assertEquals(0, piece.remaining(), "split at " + cut);
            }
            assertTrue(decoder.hasFailed(), "split at " + cut);
            assertEquals(2, recorder.events.size(), "split at " + cut + ": " + recorder.events);
            assertEquals("stdout:1:ok", recorder.events.get(0), "split at " + cut);
            assertTrue(recorder.events.get(1).startsWith("failure:"), "split at " + cut + ": " + recorder.events);
            if (whole == null) {
                whole = recorder.events;
            }
            assertEquals(whole, recorder.events, "split at " + cut);
        }
        return whole.get(1).substring("failure:".length());
    }

    private static void assertContains(String message, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "\"" + message + "\" should mention \"" + fragment + "\"");
        }
    }

    // ---------------------------------------------------------------- record boundaries

    @Test
    void atRecordBoundaryOnlyBetweenRecords() {
        byte[] wire = hex(PHP_FPM_RESPONSE);
        RecordDecoder decoder = new RecordDecoder(new Recorder());
        Set<Integer> boundaries = new TreeSet<>();
        if (decoder.isAtRecordBoundary()) {
            boundaries.add(0);
        }
        for (int i = 0; i < wire.length; i++) {
            decoder.decode(ByteBuffer.wrap(wire, i, 1));
            if (decoder.isAtRecordBoundary()) {
                boundaries.add(i + 1);
            }
        }
        assertEquals(new TreeSet<>(List.of(0, 48, 72, 80, 96)), boundaries);
    }

    @Test
    void notAtRecordBoundaryAfterAHeaderWhoseRecordHasPaddingStillToCome() {
        byte[] wire = hex(PHP_FPM_RESPONSE);
        RecordDecoder decoder = new RecordDecoder(new Recorder());

        decoder.decode(ByteBuffer.wrap(wire, 0, 3));
        assertFalse(decoder.isAtRecordBoundary(), "in the middle of a header");
        decoder.decode(ByteBuffer.wrap(wire, 3, 5));
        assertFalse(decoder.isAtRecordBoundary(), "after the header, before the content");
        decoder.decode(ByteBuffer.wrap(wire, 8, 38));
        assertFalse(decoder.isAtRecordBoundary(), "after the content, before the padding");
        decoder.decode(ByteBuffer.wrap(wire, 46, 1));
        assertFalse(decoder.isAtRecordBoundary(), "in the padding");
        decoder.decode(ByteBuffer.wrap(wire, 47, 1));
        assertTrue(decoder.isAtRecordBoundary(), "after the padding");
    }

    @Test
    void notAtRecordBoundaryAfterTheHeaderOfAPaddedEmptyRecord() {
        byte[] wire = hex("01 06 00 01 00 00 03 00   00 00 00");
        RecordDecoder decoder = new RecordDecoder(new Recorder());
        decoder.decode(ByteBuffer.wrap(wire, 0, 8));
        assertFalse(decoder.isAtRecordBoundary());
        decoder.decode(ByteBuffer.wrap(wire, 8, 3));
        assertTrue(decoder.isAtRecordBoundary());
    }

    @Test
    void notAtRecordBoundaryInTheMiddleOfAFixedRecord() {
        byte[] wire = hex("01 03 00 01 00 08 00 00   00 00 00 00 00 00 00 00");
        RecordDecoder decoder = new RecordDecoder(new Recorder());
        decoder.decode(ByteBuffer.wrap(wire, 0, 12));
        assertFalse(decoder.isAtRecordBoundary());
        decoder.decode(ByteBuffer.wrap(wire, 12, 4));
        assertTrue(decoder.isAtRecordBoundary());
    }

    // ---------------------------------------------------------------- a big stream

    @Test
    void tenMebibytesOfStdoutPassThroughAFourKibibyteWindowWithoutAccumulating() {
        int total = 10 * 1024 * 1024;
        byte[] content = new byte[total];
        new Random(7).nextBytes(content);
        CRC32 expectedChecksum = new CRC32();
        expectedChecksum.update(content);

        ByteBuffer wire = ByteBuffer.allocate(total + 200 * 16 + 64);
        ByteBuffer source = ByteBuffer.wrap(content);
        int records = 0;
        while (source.hasRemaining()) {
            int taken = RecordEncoder.stream(wire, RecordType.STDOUT, 1, source);
            assertTrue(taken == 65535 || !source.hasRemaining(), "record of " + taken + " bytes");
            records++;
        }
        assertEquals(161, records, "160 full records and one of 160 bytes");
        RecordEncoder.endOfStream(wire, RecordType.STDOUT, 1);
        RecordEncoder.endRequest(wire, 1, 0, ProtocolStatus.REQUEST_COMPLETE);
        wire.flip();

        ByteBuffer window = ByteBuffer.allocate(4096);
        CRC32 checksum = new CRC32();
        long[] received = new long[1];
        int[] largestSlice = new int[1];
        List<String> others = new ArrayList<>();
        RecordDecoder decoder = new RecordDecoder(new RecordDecoder.Listener() {
            @Override
            public boolean onStdout(int requestId, ByteBuffer slice) {
                if (!slice.hasRemaining()) {
                    others.add("end-of-stdout:" + requestId);
                    return true;
                }
                assertSame(window.array(), slice.array(), "a slice of the input, not a copy");
                largestSlice[0] = Math.max(largestSlice[0], slice.remaining());
                received[0] += slice.remaining();
                checksum.update(slice);
                return true;
            }

            @Override
            public void onEndRequest(int requestId, int appStatus, ProtocolStatus protocolStatus) {
                others.add("end:" + requestId + ":" + appStatus + ":" + protocolStatus);
            }

            @Override
            public void onFailure(ProtocolException failure) {
                others.add("failure:" + failure.getMessage());
            }
        });

        while (wire.hasRemaining()) {
            int n = Math.min(window.capacity(), wire.remaining());
            window.clear();
            window.put(wire.slice(wire.position(), n)).flip();
            wire.position(wire.position() + n);
            assertTrue(decoder.decode(window));
            assertFalse(window.hasRemaining());
        }

        assertEquals(total, received[0]);
        assertEquals(expectedChecksum.getValue(), checksum.getValue());
        assertTrue(largestSlice[0] <= 4096, "largest slice " + largestSlice[0]);
        assertEquals(List.of("end-of-stdout:1", "end:1:0:REQUEST_COMPLETE"), others);
        assertTrue(decoder.isAtRecordBoundary());
    }

    // ---------------------------------------------------------------- the recording listener

    /**
     * Writes down every callback as a readable event. Consecutive slices of the same stream and
     * request are merged into one event; bytes outside printable ASCII (but CR, LF and tab) show as
     * {@code \xNN}.
     */
    static final class Recorder implements RecordDecoder.Listener {
        final List<String> events = new ArrayList<>();
        /** The prefix, such as {@code "stdout:1:"}, of the last event when it is stream text. */
        private String openStream;
        /** Pause after a slice whose event is, or starts with, this name, e.g. "stdout" or "end-of-stdout". */
        String pauseOn;
        boolean pauseOnEveryStreamSlice;

        @Override
        public void onBeginRequest(int requestId, int role, boolean keepConn) {
            add("begin:" + requestId + ":" + role + ":" + (keepConn ? "keep" : "close"));
        }

        @Override
        public void onAbortRequest(int requestId) {
            add("abort:" + requestId);
        }

        @Override
        public void onEndRequest(int requestId, int appStatus, ProtocolStatus protocolStatus) {
            add("end:" + requestId + ":" + appStatus + ":" + protocolStatus);
        }

        @Override
        public boolean onParams(int requestId, ByteBuffer content) {
            return stream("params", requestId, content);
        }

        @Override
        public boolean onStdin(int requestId, ByteBuffer content) {
            return stream("stdin", requestId, content);
        }

        @Override
        public boolean onStdout(int requestId, ByteBuffer content) {
            return stream("stdout", requestId, content);
        }

        @Override
        public boolean onStderr(int requestId, ByteBuffer content) {
            return stream("stderr", requestId, content);
        }

        @Override
        public boolean onData(int requestId, ByteBuffer content) {
            return stream("data", requestId, content);
        }

        @Override
        public void onGetValues(List<String> names) {
            add("get-values:" + names);
        }

        @Override
        public void onGetValuesResult(Map<String, String> values) {
            add("get-values-result:" + values);
        }

        @Override
        public void onUnknownType(int type) {
            add("unknown-type:" + type);
        }

        @Override
        public void onFailure(ProtocolException failure) {
            add("failure:" + failure.getMessage());
        }

        private void add(String event) {
            events.add(event);
            openStream = null;
        }

        private boolean stream(String name, int requestId, ByteBuffer content) {
            String event;
            if (!content.hasRemaining()) {
                event = "end-of-" + name;
                add(event + ":" + requestId);
            } else {
                event = name;
                String prefix = name + ":" + requestId + ":";
                String text = readable(content);
                if (prefix.equals(openStream)) {
                    int last = events.size() - 1;
                    events.set(last, events.get(last) + text);
                } else {
                    events.add(prefix + text);
                    openStream = prefix;
                }
            }
            return !pauseOnEveryStreamSlice && !event.equals(pauseOn);
        }

        private static final String HEX = "0123456789abcdef";

        private static String readable(ByteBuffer content) {
            StringBuilder text = new StringBuilder(content.remaining());
            while (content.hasRemaining()) {
                int b = content.get() & 0xFF;
                if ((b >= 0x20 && b < 0x7f) || b == '\r' || b == '\n' || b == '\t') {
                    text.append((char) b);
                } else {
                    text.append("\\x").append(HEX.charAt(b >> 4)).append(HEX.charAt(b & 0xF));
                }
            }
            return text.toString();
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Bytes from hex pairs separated by any amount of whitespace, e.g. {@code hex("01 06 00 01")}. */
    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s+", ""));
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes {@code content} as as many stream records as it takes. */
    private static void writeAll(ByteBuffer out, RecordType type, int requestId, ByteBuffer content) {
        while (content.hasRemaining()) {
            assertTrue(RecordEncoder.stream(out, type, requestId, content) > 0);
        }
    }

    private static void writeAll(ByteBuffer out, RecordType type, int requestId, byte[] content) {
        writeAll(out, type, requestId, ByteBuffer.wrap(content));
    }

    /** Decodes {@code wire} cut at the given ascending offsets, in heap buffers. */
    private static List<String> decodeInPieces(byte[] wire, int... cuts) {
        return decode(wire, cuts, false);
    }

    /**
     * Decodes {@code wire} cut at the given ascending offsets; each piece is a heap buffer over the
     * whole array (so positions are not zero) or a copy in a direct buffer. Checks every piece is
     * used up and the decoder ends between records, unfailed.
     */
    private static List<String> decode(byte[] wire, int[] cuts, boolean direct) {
        Recorder recorder = new Recorder();
        RecordDecoder decoder = new RecordDecoder(recorder);
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : wire.length;
            ByteBuffer piece;
            if (direct) {
                piece = ByteBuffer.allocateDirect(to - from).put(wire, from, to - from).flip();
            } else {
                piece = ByteBuffer.wrap(wire, from, to - from);
            }
            assertTrue(decoder.decode(piece), "decode returns true when not paused");
            assertEquals(0, piece.remaining(), "every piece is used up");
            from = to;
        }
        assertFalse(decoder.hasFailed(), () -> "failed: " + recorder.events);
        assertTrue(decoder.isAtRecordBoundary(), "ends between records");
        return recorder.events;
    }

    /** {@code count} ascending cut offsets in 0..length, repeats allowed (empty pieces). */
    private static int[] randomCuts(Random random, int length, int count) {
        int[] cuts = new int[count];
        for (int i = 0; i < count; i++) {
            cuts[i] = random.nextInt(length + 1);
        }
        Arrays.sort(cuts);
        return cuts;
    }
}
