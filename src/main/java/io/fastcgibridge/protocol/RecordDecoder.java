package io.fastcgibridge.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An incremental FastCGI record decoder: it is fed buffers as they arrive, split anywhere, and
 * reports each record to a {@link Listener}. Stream content is passed through in slices of the
 * input, never copied or accumulated, so memory stays bounded whatever the stream length; the
 * fixed-size and management records are at most 65,535 bytes by the wire format.
 *
 * <p>Not thread-safe: one decoder belongs to one connection.
 */
public final class RecordDecoder {

    /**
     * Receives decoded records. Stream callbacks get a slice of the input that is valid only during
     * the call; an empty slice is the record that ends the stream. Returning {@code false} from a
     * stream callback pauses decoding after that slice.
     */
    public interface Listener {
        default void onBeginRequest(int requestId, int role, boolean keepConn) {
        }

        default void onAbortRequest(int requestId) {
        }

        default void onEndRequest(int requestId, int appStatus, ProtocolStatus protocolStatus) {
        }

        default boolean onParams(int requestId, ByteBuffer content) {
            return true;
        }

        default boolean onStdin(int requestId, ByteBuffer content) {
            return true;
        }

        default boolean onStdout(int requestId, ByteBuffer content) {
            return true;
        }

        default boolean onStderr(int requestId, ByteBuffer content) {
            return true;
        }

        default boolean onData(int requestId, ByteBuffer content) {
            return true;
        }

        default void onGetValues(List<String> names) {
        }

        default void onGetValuesResult(Map<String, String> values) {
        }

        default void onUnknownType(int type) {
        }

        /** The stream broke a rule; the decoder ignores everything after this. */
        default void onFailure(ProtocolException failure) {
        }
    }

    private enum State { HEADER, STREAM_CONTENT, FIXED_CONTENT, PADDING, FAILED }

    private final Listener listener;
    private final byte[] header = new byte[FastCgi.HEADER_LENGTH];
    private State state = State.HEADER;
    private int filled;
    private RecordType type;
    private int requestId;
    private int contentLeft;
    private int paddingLeft;
    private ByteBuffer fixedContent;

    public RecordDecoder(Listener listener) {
        this.listener = listener;
    }

    /**
     * Decodes as much of {@code in} as possible and advances its position past what was used.
     *
     * @return {@code false} when a stream callback asked to pause (the rest of {@code in} is
     *     untouched), {@code true} when all of {@code in} was used or the decoder has failed
     */
    public boolean decode(ByteBuffer in) {
        while (in.hasRemaining()) {
            switch (state) {
                case HEADER -> {
                    if (!readHeader(in)) {
                        return false;
                    }
                }
                case STREAM_CONTENT -> {
                    if (!readStreamContent(in)) {
                        return false;
                    }
                }
                case FIXED_CONTENT -> readFixedContent(in);
                case PADDING -> skipPadding(in);
                case FAILED -> {
                    in.position(in.limit());
                    return true;
                }
            }
        }
        return true;
    }

    /** Whether the decoder stands between records, with no partial record buffered. */
    public boolean isAtRecordBoundary() {
        return state == State.HEADER && filled == 0;
    }

    /** Whether the decoder has reported a failure and ignores its input. */
    public boolean hasFailed() {
        return state == State.FAILED;
    }

    /** Returns {@code false} only when the empty record ending a stream asked to pause. */
    private boolean readHeader(ByteBuffer in) {
        int n = Math.min(in.remaining(), header.length - filled);
        in.get(header, filled, n);
        filled += n;
        if (filled < header.length) {
            return true;
        }
        filled = 0;
        int version = header[0] & 0xFF;
        int typeCode = header[1] & 0xFF;
        requestId = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
        contentLeft = ((header[4] & 0xFF) << 8) | (header[5] & 0xFF);
        paddingLeft = header[6] & 0xFF;
        type = RecordType.fromCode(typeCode);
        if (version != FastCgi.VERSION) {
            fail("unsupported FastCGI version " + version + " (expected " + FastCgi.VERSION + ")");
        } else if (type == null) {
            fail("unknown record type " + typeCode);
        } else if (type.isManagement() != (requestId == FastCgi.MANAGEMENT_REQUEST_ID)) {
            fail(type + " record with request id " + requestId
                    + (type.isManagement() ? " (management records use 0)" : " (0 is for management records)"));
        } else if (type.isStream()) {
            state = State.STREAM_CONTENT;
            if (contentLeft == 0) {
                // The empty record that ends a stream is reported as an empty slice.
                endOfContent();
                return deliver(in.slice(in.position(), 0));
            }
        } else {
            int expected = fixedLength(type);
            if (expected >= 0 && contentLeft != expected) {
                fail(type + " content must be " + expected + " bytes, was " + contentLeft);
                return true;
            }
            fixedContent = ByteBuffer.allocate(contentLeft);
            state = State.FIXED_CONTENT;
            if (contentLeft == 0) {
                finishFixedRecord();
            }
        }
        return true;
    }

    private void endOfContent() {
        state = paddingLeft > 0 ? State.PADDING : State.HEADER;
    }

    private boolean readStreamContent(ByteBuffer in) {
        int n = Math.min(in.remaining(), contentLeft);
        ByteBuffer slice = in.slice(in.position(), n);
        in.position(in.position() + n);
        contentLeft -= n;
        if (contentLeft == 0) {
            endOfContent();
        }
        return deliver(slice);
    }

    private boolean deliver(ByteBuffer content) {
        return switch (type) {
            case PARAMS -> listener.onParams(requestId, content);
            case STDIN -> listener.onStdin(requestId, content);
            case STDOUT -> listener.onStdout(requestId, content);
            case STDERR -> listener.onStderr(requestId, content);
            case DATA -> listener.onData(requestId, content);
            default -> throw new IllegalStateException(type + " is not a stream");
        };
    }

    private void readFixedContent(ByteBuffer in) {
        int n = Math.min(in.remaining(), fixedContent.remaining());
        fixedContent.put(in.slice(in.position(), n));
        in.position(in.position() + n);
        if (!fixedContent.hasRemaining()) {
            finishFixedRecord();
        }
    }

    private void finishFixedRecord() {
        ByteBuffer content = fixedContent.flip();
        fixedContent = null;
        endOfContent();
        try {
            switch (type) {
                case BEGIN_REQUEST -> listener.onBeginRequest(requestId, content.getShort() & 0xFFFF,
                        (content.get() & FastCgi.FLAG_KEEP_CONN) != 0);
                case ABORT_REQUEST -> listener.onAbortRequest(requestId);
                case END_REQUEST -> endRequest(content);
                case GET_VALUES -> listener.onGetValues(
                        List.copyOf(NameValuePairs.decode(content, StandardCharsets.US_ASCII).keySet()));
                case GET_VALUES_RESULT -> listener.onGetValuesResult(
                        NameValuePairs.decode(content, StandardCharsets.US_ASCII));
                case UNKNOWN_TYPE -> listener.onUnknownType(content.get() & 0xFF);
                default -> throw new IllegalStateException(type + " is a stream");
            }
        } catch (ProtocolException e) {
            fail(e);
        }
    }

    private void endRequest(ByteBuffer content) throws ProtocolException {
        int appStatus = content.getInt();
        int statusCode = content.get() & 0xFF;
        ProtocolStatus status = ProtocolStatus.fromCode(statusCode);
        if (status == null) {
            throw new ProtocolException("END_REQUEST with unknown protocol status " + statusCode);
        }
        listener.onEndRequest(requestId, appStatus, status);
    }

    private void skipPadding(ByteBuffer in) {
        int n = Math.min(in.remaining(), paddingLeft);
        in.position(in.position() + n);
        paddingLeft -= n;
        if (paddingLeft == 0) {
            state = State.HEADER;
        }
    }

    private static int fixedLength(RecordType type) {
        return switch (type) {
            case BEGIN_REQUEST, END_REQUEST, UNKNOWN_TYPE -> 8;
            case ABORT_REQUEST -> 0;
            default -> -1;
        };
    }

    private void fail(String message) {
        fail(new ProtocolException(message));
    }

    private void fail(ProtocolException failure) {
        state = State.FAILED;
        listener.onFailure(failure);
    }
}
