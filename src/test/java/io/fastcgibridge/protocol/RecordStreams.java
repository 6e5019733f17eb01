package io.fastcgibridge.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random well-formed record streams for the fuzz tests, and the events {@link RecordDecoderTest}'s
 * recorder must hear for them.
 */
public final class RecordStreams {

    /** A stream's bytes and the offset where each of its records starts. */
    public record Encoded(byte[] bytes, int[] recordStarts) {
    }

    private static final RecordType[] TYPES = RecordType.values();

    private RecordStreams() {
    }

    /** Writes the records one after the other. */
    public static Encoded encode(List<WireRecord> records, Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] starts = new int[records.size()];
        for (int i = 0; i < records.size(); i++) {
            starts[i] = out.size();
            records.get(i).writeTo(out, random);
        }
        return new Encoded(out.toByteArray(), starts);
    }

    /** Up to 24 valid records of every type, stream and fixed, with any request ids and padding. */
    public static List<WireRecord> anyRecords(Random random) {
        List<WireRecord> records = new ArrayList<>();
        int count = random.nextInt(25);
        for (int i = 0; i < count; i++) {
            RecordType type = TYPES[random.nextInt(TYPES.length)];
            int requestId = type.isManagement() ? FastCgi.MANAGEMENT_REQUEST_ID : requestId(random);
            byte[] content = content(type, random);
            records.add(WireRecord.of(type, requestId, content, padding(random, content.length)));
        }
        return records;
    }

    /** A length from 0 to {@code max}, mostly short, sometimes long. */
    public static int length(Random random, int max) {
        int bound = switch (random.nextInt(10)) {
            case 0, 1, 2, 3, 4 -> 16;
            case 5, 6, 7 -> 512;
            default -> max;
        };
        return random.nextInt(Math.min(bound, max) + 1);
    }

    /** No padding, the padding to a multiple of eight, or any padding up to 255. */
    public static int padding(Random random, int contentLength) {
        return switch (random.nextInt(3)) {
            case 0 -> 0;
            case 1 -> RecordEncoder.paddingFor(contentLength);
            default -> random.nextInt(FastCgi.MAX_PADDING_LENGTH + 1);
        };
    }

    /** The recorder's events for well-formed records. */
    static List<String> expectedEvents(List<WireRecord> records) {
        RecordDecoderTest.Recorder recorder = new RecordDecoderTest.Recorder();
        for (WireRecord record : records) {
            expect(recorder, record);
        }
        return recorder.events;
    }

    private static void expect(RecordDecoder.Listener recorder, WireRecord record) {
        RecordType type = RecordType.fromCode(record.type());
        ByteBuffer content = ByteBuffer.wrap(record.content());
        int id = record.requestId();
        try {
            switch (type) {
                case BEGIN_REQUEST -> recorder.onBeginRequest(id, content.getShort() & 0xFFFF,
                        (content.get() & FastCgi.FLAG_KEEP_CONN) != 0);
                case ABORT_REQUEST -> recorder.onAbortRequest(id);
                case END_REQUEST -> recorder.onEndRequest(id, content.getInt(),
                        ProtocolStatus.fromCode(content.get() & 0xFF));
                case PARAMS -> recorder.onParams(id, content);
                case STDIN -> recorder.onStdin(id, content);
                case STDOUT -> recorder.onStdout(id, content);
                case STDERR -> recorder.onStderr(id, content);
                case DATA -> recorder.onData(id, content);
                case GET_VALUES -> recorder.onGetValues(
                        List.copyOf(NameValuePairs.decode(content, StandardCharsets.US_ASCII).keySet()));
                case GET_VALUES_RESULT -> recorder.onGetValuesResult(
                        NameValuePairs.decode(content, StandardCharsets.US_ASCII));
                case UNKNOWN_TYPE -> recorder.onUnknownType(content.get() & 0xFF);
            }
        } catch (ProtocolException e) {
            throw new AssertionError("the generator wrote bad pairs", e);
        }
    }

    private static int requestId(Random random) {
        return random.nextBoolean() ? 1 : 1 + random.nextInt(0xFFFF);
    }

    private static byte[] content(RecordType type, Random random) {
        return switch (type) {
            case BEGIN_REQUEST, END_REQUEST, UNKNOWN_TYPE -> fixedContent(type, random);
            case ABORT_REQUEST -> new byte[0];
            case GET_VALUES -> pairs(random, false);
            case GET_VALUES_RESULT -> pairs(random, true);
            default -> bytes(random, length(random, random.nextInt(16) == 0 ? FastCgi.MAX_CONTENT_LENGTH : 4096));
        };
    }

    /** Eight bytes; for END_REQUEST the protocol status byte is one the specification defines. */
    private static byte[] fixedContent(RecordType type, Random random) {
        byte[] content = bytes(random, 8);
        if (type == RecordType.END_REQUEST) {
            content[4] = (byte) random.nextInt(ProtocolStatus.values().length);
        }
        return content;
    }

    private static byte[] pairs(Random random, boolean withValues) {
        Map<String, String> pairs = new LinkedHashMap<>();
        int count = random.nextInt(6);
        for (int i = 0; i < count; i++) {
            pairs.put(asciiWord(random, random.nextInt(10) == 0 ? 300 : 20),
                    withValues ? asciiWord(random, random.nextInt(10) == 0 ? 200 : 8) : "");
        }
        return NameValuePairs.encode(pairs, StandardCharsets.US_ASCII, FastCgi.MAX_CONTENT_LENGTH);
    }

    private static String asciiWord(Random random, int maxLength) {
        String letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789";
        StringBuilder word = new StringBuilder();
        int length = 1 + random.nextInt(maxLength);
        for (int i = 0; i < length; i++) {
            word.append(letters.charAt(random.nextInt(letters.length())));
        }
        return word.toString();
    }

    /** {@code length} random bytes. */
    public static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
