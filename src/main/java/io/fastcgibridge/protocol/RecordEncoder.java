package io.fastcgibridge.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes FastCGI records into a caller's buffer. Content is padded to a multiple of eight bytes,
 * as PHP-FPM and nginx do; nothing here knows about sockets.
 */
public final class RecordEncoder {

    private static final byte[] ZEROS = new byte[8];

    private RecordEncoder() {
    }

    /** The padding that brings {@code contentLength} to a multiple of eight. */
    public static int paddingFor(int contentLength) {
        return -contentLength & 7;
    }

    /** The bytes one record with this much content occupies on the wire. */
    public static int recordLength(int contentLength) {
        return FastCgi.HEADER_LENGTH + contentLength + paddingFor(contentLength);
    }

    /** Writes a record header. */
    public static void header(ByteBuffer out, RecordType type, int requestId, int contentLength, int paddingLength) {
        if (contentLength < 0 || contentLength > FastCgi.MAX_CONTENT_LENGTH) {
            throw new IllegalArgumentException("content length " + contentLength + " outside 0.." + FastCgi.MAX_CONTENT_LENGTH);
        }
        if (requestId < 0 || requestId > 0xFFFF) {
            throw new IllegalArgumentException("request id " + requestId + " outside 0..65535");
        }
        out.put((byte) FastCgi.VERSION)
                .put((byte) type.code())
                .putShort((short) requestId)
                .putShort((short) contentLength)
                .put((byte) paddingLength)
                .put((byte) 0);
    }

    /** Writes the padding that follows {@code contentLength} bytes of content. */
    public static void padding(ByteBuffer out, int contentLength) {
        out.put(ZEROS, 0, paddingFor(contentLength));
    }

    /** Writes BEGIN_REQUEST. */
    public static void beginRequest(ByteBuffer out, int requestId, Role role, boolean keepConn) {
        header(out, RecordType.BEGIN_REQUEST, requestId, 8, 0);
        out.putShort((short) role.code())
                .put((byte) (keepConn ? FastCgi.FLAG_KEEP_CONN : 0))
                .put(ZEROS, 0, 5);
    }

    /** Writes ABORT_REQUEST, which has no content. */
    public static void abortRequest(ByteBuffer out, int requestId) {
        header(out, RecordType.ABORT_REQUEST, requestId, 0, 0);
    }

    /** Writes END_REQUEST with the application's exit status and the protocol status. */
    public static void endRequest(ByteBuffer out, int requestId, int appStatus, ProtocolStatus status) {
        header(out, RecordType.END_REQUEST, requestId, 8, 0);
        out.putInt(appStatus).put((byte) status.code()).put(ZEROS, 0, 3);
    }

    /**
     * Writes one stream record (PARAMS, STDIN, STDOUT, STDERR or DATA) holding as much of
     * {@code content} as fits in one record and in {@code out}, and advances {@code content} past it.
     * An empty {@code content} writes the empty record that ends the stream.
     *
     * @return the number of content bytes written, or -1 when {@code out} has no room for a record
     */
    public static int stream(ByteBuffer out, RecordType type, int requestId, ByteBuffer content) {
        if (!type.isStream()) {
            throw new IllegalArgumentException(type + " is not a stream record type");
        }
        int room = out.remaining() - FastCgi.HEADER_LENGTH;
        int length = Math.min(content.remaining(), Math.min(FastCgi.MAX_CONTENT_LENGTH, room));
        if (length + paddingFor(length) > room) {
            // Too little room for this content and its padding: take a multiple of eight instead.
            length = room & ~7;
        }
        if (room < 0 || (length == 0 && content.hasRemaining())) {
            return -1;
        }
        header(out, type, requestId, length, paddingFor(length));
        ByteBuffer piece = content.slice();
        piece.limit(length);
        out.put(piece);
        content.position(content.position() + length);
        padding(out, length);
        return length;
    }

    /** Writes the empty record that ends a stream. */
    public static void endOfStream(ByteBuffer out, RecordType type, int requestId) {
        header(out, type, requestId, 0, 0);
    }

    /** Writes GET_VALUES asking for the named variables (the values sent are empty). */
    public static void getValues(ByteBuffer out, Collection<String> names) {
        Map<String, String> query = new LinkedHashMap<>();
        names.forEach(name -> query.put(name, ""));
        management(out, RecordType.GET_VALUES, query);
    }

    /** Writes GET_VALUES_RESULT with the answered variables. */
    public static void getValuesResult(ByteBuffer out, Map<String, String> values) {
        management(out, RecordType.GET_VALUES_RESULT, values);
    }

    /** Writes UNKNOWN_TYPE, the answer to a management record of a type the receiver does not know. */
    public static void unknownType(ByteBuffer out, int unknownType) {
        header(out, RecordType.UNKNOWN_TYPE, FastCgi.MANAGEMENT_REQUEST_ID, 8, 0);
        out.put((byte) unknownType).put(ZEROS, 0, 7);
    }

    private static void management(ByteBuffer out, RecordType type, Map<String, String> pairs) {
        byte[] content = NameValuePairs.encode(pairs, StandardCharsets.US_ASCII, FastCgi.MAX_CONTENT_LENGTH);
        header(out, type, FastCgi.MANAGEMENT_REQUEST_ID, content.length, paddingFor(content.length));
        out.put(content);
        padding(out, content.length);
    }
}
