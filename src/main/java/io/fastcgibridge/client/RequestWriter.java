package io.fastcgibridge.client;

import io.fastcgibridge.client.FastCgiException.Code;
import io.fastcgibridge.protocol.FastCgi;
import io.fastcgibridge.protocol.RecordEncoder;
import io.fastcgibridge.protocol.RecordType;
import io.fastcgibridge.protocol.Role;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Lays one request out as records in a send buffer, as the socket makes room: BEGIN_REQUEST, the
 * params over as many PARAMS records as they need, an empty PARAMS, the body pulled from its reader
 * straight into STDIN records (no intermediate copy), and the empty STDIN that PHP-FPM waits for;
 * then, on a connection to be kept, the {@link #PROBE} that tells when the worker is free again.
 */
final class RequestWriter {

    /** What {@link #fill} got to. */
    enum Progress { ROOM_NEEDED, BODY_NOT_READY, DONE }

    /** Body bytes are read only when at least this much room is free, so records stay large. */
    private static final int MIN_BODY_ROOM = 4096;

    /**
     * {@code FCGI_GET_VALUES} for {@code FCGI_MPXS_CONNS}: PHP-FPM reads it only when its worker comes
     * back for the next request on the connection, after the script (and any work it does past
     * {@code fastcgi_finish_request()}), so its answer says that the worker is free.
     */
    static final byte[] PROBE = probe();

    private enum Phase { BEGIN, PARAMS, STDIN, STDIN_END, PROBE, DONE }

    private final int requestId;
    private final boolean keepConn;
    private final boolean probe;
    private final byte[] params;
    private final long bodyLength;
    private final FastCgiAddress address;
    private Phase phase = Phase.BEGIN;
    private ByteBuffer paramsLeft;
    private BodyReader body;
    private long bodySent;

    /** {@code probe}: follow the request with {@link #PROBE} (only on a connection to be kept). */
    RequestWriter(int requestId, boolean keepConn, boolean probe, byte[] params, long bodyLength,
            FastCgiAddress address) {
        this.requestId = requestId;
        this.keepConn = keepConn;
        this.probe = keepConn && probe;
        this.params = params;
        this.bodyLength = bodyLength;
        this.address = address;
    }

    /** Starts over, for a first attempt or a retry, reading the body from {@code reader}. */
    void start(BodyReader reader) {
        phase = Phase.BEGIN;
        paramsLeft = ByteBuffer.wrap(params);
        body = reader;
        bodySent = 0;
    }

    boolean isDone() {
        return phase == Phase.DONE;
    }

    /** Body bytes handed to the send buffer so far. */
    long bodySent() {
        return bodySent;
    }

    /** Writes as many records into {@code out} as fit and are ready. */
    Progress fill(ByteBuffer out) throws FastCgiException {
        while (true) {
            switch (phase) {
                case BEGIN -> {
                    if (out.remaining() < 16) {
                        return Progress.ROOM_NEEDED;
                    }
                    RecordEncoder.beginRequest(out, requestId, Role.RESPONDER, keepConn);
                    phase = Phase.PARAMS;
                }
                case PARAMS -> {
                    if (out.remaining() < 2 * FastCgi.HEADER_LENGTH + 8) {
                        return Progress.ROOM_NEEDED;
                    }
                    if (paramsLeft.hasRemaining()) {
                        RecordEncoder.stream(out, RecordType.PARAMS, requestId, paramsLeft);
                    } else {
                        RecordEncoder.endOfStream(out, RecordType.PARAMS, requestId);
                        phase = bodySent < bodyLength ? Phase.STDIN : Phase.STDIN_END;
                    }
                }
                case STDIN -> {
                    if (out.remaining() < MIN_BODY_ROOM) {
                        return Progress.ROOM_NEEDED;
                    }
                    if (!readBody(out)) {
                        return Progress.BODY_NOT_READY;
                    }
                }
                case STDIN_END -> {
                    if (out.remaining() < FastCgi.HEADER_LENGTH) {
                        return Progress.ROOM_NEEDED;
                    }
                    RecordEncoder.endOfStream(out, RecordType.STDIN, requestId);
                    phase = probe ? Phase.PROBE : Phase.DONE;
                }
                case PROBE -> {
                    if (out.remaining() < PROBE.length) {
                        return Progress.ROOM_NEEDED;
                    }
                    out.put(PROBE);
                    phase = Phase.DONE;
                }
                case DONE -> {
                    return Progress.DONE;
                }
            }
        }
    }

    /** Whether the request is followed by {@link #PROBE}. */
    boolean probes() {
        return probe;
    }

    private static byte[] probe() {
        ByteBuffer record = ByteBuffer.allocate(64);
        RecordEncoder.getValues(record, java.util.List.of(FastCgi.MPXS_CONNS));
        return java.util.Arrays.copyOf(record.array(), record.position());
    }

    /** Reads body bytes into the content of one STDIN record; false when the reader has none yet. */
    private boolean readBody(ByteBuffer out) throws FastCgiException {
        int headerAt = out.position();
        int room = out.remaining() - FastCgi.HEADER_LENGTH - 7;
        int max = (int) Math.min(Math.min(room, FastCgi.MAX_CONTENT_LENGTH), bodyLength - bodySent);
        ByteBuffer content = out.slice(headerAt + FastCgi.HEADER_LENGTH, max);
        int n;
        try {
            n = body.read(content);
        } catch (IOException | RuntimeException e) {
            throw new FastCgiException(Code.REQUEST_BODY_FAILED, "reading the request body for " + address
                    + " failed after " + bodySent + " of " + bodyLength + " bytes: " + e.getMessage(), e);
        }
        if (n < 0) {
            throw new FastCgiException(Code.REQUEST_BODY_FAILED, "the request body ended after " + bodySent + " of "
                    + bodyLength + " bytes promised as CONTENT_LENGTH");
        }
        if (n == 0) {
            return false;
        }
        RecordEncoder.header(out, RecordType.STDIN, requestId, n, RecordEncoder.paddingFor(n));
        out.position(headerAt + FastCgi.HEADER_LENGTH + n);
        RecordEncoder.padding(out, n);
        bodySent += n;
        if (bodySent == bodyLength) {
            phase = Phase.STDIN_END;
        }
        return true;
    }
}
