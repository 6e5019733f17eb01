package io.fastcgibridge.client;

import io.fastcgibridge.protocol.FastCgi;
import io.fastcgibridge.protocol.ProtocolStatus;
import io.fastcgibridge.protocol.RecordStreams;
import io.fastcgibridge.protocol.RecordType;
import io.fastcgibridge.protocol.WireRecord;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random responses as PHP-FPM sends them: a valid CGI header block and a body cut into STDOUT
 * records anywhere, UTF-8 text on STDERR cut anywhere (inside characters too) and interleaved, the
 * empty STDOUT record and END_REQUEST, sometimes more records after it. Each comes with what the
 * reader must make of it.
 */
final class ResponseStreams {

    /** What a reader must deliver: the head, the body, the whole stderr text and how it ended. */
    record Expected(ResponseHead head, int headerBlockLength, byte[] body, String stderr, int appStatus,
            ProtocolStatus protocolStatus) {
    }

    /** The records and what they mean. */
    record Generated(List<WireRecord> records, Expected expected) {
    }

    private static final String TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private ResponseStreams() {
    }

    static Generated generate(Random random) {
        HeaderBlock block = headerBlock(random);
        byte[] body = RecordStreams.bytes(random, RecordStreams.length(random, 70_000));
        String stderr = utf8Text(random, RecordStreams.length(random, 3000));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        stdout.writeBytes(block.bytes);
        stdout.writeBytes(body);
        List<WireRecord> records = interleave(random, pieces(random, RecordType.STDOUT, stdout.toByteArray()),
                pieces(random, RecordType.STDERR, stderr.getBytes(StandardCharsets.UTF_8)));
        if (random.nextInt(4) == 0) {
            records.add(record(random, RecordType.STDERR, new byte[0]));
        }
        records.add(record(random, RecordType.STDOUT, new byte[0]));
        int appStatus = random.nextInt(4) == 0 ? random.nextInt() : 0;
        ProtocolStatus status = random.nextInt(10) == 0
                ? ProtocolStatus.values()[random.nextInt(ProtocolStatus.values().length)] : ProtocolStatus.REQUEST_COMPLETE;
        records.add(record(random, RecordType.END_REQUEST, endRequest(appStatus, status)));
        if (random.nextInt(10) == 0) {
            records.add(record(random, RecordType.STDOUT, RecordStreams.bytes(random, 1 + random.nextInt(40))));
        }
        return new Generated(records, new Expected(block.head, block.bytes.length, body, stderr, appStatus, status));
    }

    private record HeaderBlock(byte[] bytes, ResponseHead head) {
    }

    /** Valid header lines (CRLF or LF), maybe a Status and a Location; none at all is the empty first line. */
    private static HeaderBlock headerBlock(Random random) {
        StringBuilder block = new StringBuilder();
        List<HttpHeaders.Field> fields = new ArrayList<>();
        int count = random.nextInt(5) == 0 ? 0 : random.nextInt(9);
        for (int i = 0; i < count; i++) {
            HttpHeaders.Field field = new HttpHeaders.Field(token(random), value(random));
            fields.add(field);
            block.append(field.name()).append(':').append(random.nextBoolean() ? " " : "\t ").append(field.value())
                    .append(random.nextInt(8) == 0 ? " " : "").append(lineEnd(random));
        }
        boolean location = random.nextInt(6) == 0;
        if (location) {
            fields.add(new HttpHeaders.Field("Location", "/next"));
            block.append("Location: /next").append(lineEnd(random));
        }
        int status = location ? 302 : 200;
        String reason = ReasonPhrases.of(status);
        if (random.nextInt(3) == 0) {
            status = 200 + random.nextInt(400);
            String given = random.nextBoolean() ? "" : value(random);
            reason = given.isEmpty() ? ReasonPhrases.of(status) : given;
            block.append("Status: ").append(status).append(given.isEmpty() ? "" : " " + given).append(lineEnd(random));
        }
        block.append(lineEnd(random));
        return new HeaderBlock(block.toString().getBytes(StandardCharsets.ISO_8859_1),
                new ResponseHead(status, reason, HttpHeaders.of(fields)));
    }

    private static String lineEnd(Random random) {
        return random.nextBoolean() ? "\r\n" : "\n";
    }

    /** An RFC 9110 token that is neither Status nor Location, which mean something else. */
    private static String token(Random random) {
        while (true) {
            StringBuilder name = new StringBuilder();
            int length = 1 + random.nextInt(random.nextInt(10) == 0 ? 200 : 16);
            for (int i = 0; i < length; i++) {
                name.append(TCHARS.charAt(random.nextInt(TCHARS.length())));
            }
            String text = name.toString();
            if (!text.equalsIgnoreCase("Status") && !text.equalsIgnoreCase("Location")) {
                return text;
            }
        }
    }

    /** A field value: visible ASCII and Latin-1 with spaces and tabs inside, none at the ends; maybe empty. */
    private static String value(Random random) {
        int length = random.nextInt(random.nextInt(10) == 0 ? 500 : 30);
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            boolean edge = i == 0 || i == length - 1;
            if (kind == 0 && !edge) {
                value.append(random.nextBoolean() ? ' ' : '\t');
            } else if (kind == 1) {
                value.append((char) (0x80 + random.nextInt(0x80)));
            } else {
                value.append((char) (0x21 + random.nextInt(0x7E - 0x21 + 1)));
            }
        }
        return value.toString();
    }

    /** Text with one-, two-, three- and four-byte UTF-8 characters, about {@code bytes} long. */
    private static String utf8Text(Random random, int bytes) {
        StringBuilder text = new StringBuilder();
        int size = 0;
        while (size < bytes) {
            int codePoint = switch (random.nextInt(4)) {
                case 0 -> 0x20 + random.nextInt(0x5F);
                case 1 -> 0x80 + random.nextInt(0x780);
                case 2 -> 0x800 + random.nextInt(0xD000 - 0x800);
                default -> 0x10000 + random.nextInt(0x10000);
            };
            text.appendCodePoint(codePoint);
            size += new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
        }
        return text.toString();
    }

    /** {@code content} cut into non-empty records of any size up to the maximum. */
    private static List<WireRecord> pieces(Random random, RecordType type, byte[] content) {
        List<WireRecord> records = new ArrayList<>();
        int offset = 0;
        while (offset < content.length) {
            int size = 1 + random.nextInt(Math.min(content.length - offset,
                    random.nextBoolean() ? FastCgi.MAX_CONTENT_LENGTH : 64));
            byte[] piece = new byte[size];
            System.arraycopy(content, offset, piece, 0, size);
            records.add(record(random, type, piece));
            offset += size;
        }
        return records;
    }

    /** The two lists merged in random order, each keeping its own. */
    private static List<WireRecord> interleave(Random random, List<WireRecord> first, List<WireRecord> second) {
        List<WireRecord> merged = new ArrayList<>(first.size() + second.size());
        int i = 0;
        int j = 0;
        while (i < first.size() || j < second.size()) {
            boolean takeFirst = j == second.size() || (i < first.size() && random.nextInt(3) != 0);
            merged.add(takeFirst ? first.get(i++) : second.get(j++));
        }
        return merged;
    }

    private static WireRecord record(Random random, RecordType type, byte[] content) {
        return WireRecord.of(type, Exchange.REQUEST_ID, content, RecordStreams.padding(random, content.length));
    }

    private static byte[] endRequest(int appStatus, ProtocolStatus status) {
        return ByteBuffer.allocate(8).putInt(appStatus).put((byte) status.code()).array();
    }
}
