package io.fastcgibridge.client;

import io.fastcgibridge.client.FastCgiException.Code;
import io.fastcgibridge.protocol.ProtocolException;
import io.fastcgibridge.protocol.ProtocolStatus;
import io.fastcgibridge.protocol.RecordDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns the records of one response into {@link ResponseSink} calls: CGI headers gathered from the
 * start of stdout up to a bounded size, then body chunks passed straight through, stderr in bounded
 * pieces. It only records how the response ended; the exchange acts on that after each decode.
 */
final class ResponseReader implements RecordDecoder.Listener {

    private final int requestId;
    private final FastCgiAddress address;
    private final ResponseSink sink;
    private final int maxHeaderBytes;
    private final int maxStderrBytes;
    private byte[] headerBlock;
    private int headerLength;
    private boolean headersDone;
    private byte[] stderr;
    private int stderrLength;
    private boolean ended;
    private boolean trailing;
    private boolean workerFree;
    private boolean answeredEarly;
    private int appStatus;
    private ProtocolStatus protocolStatus;
    private FastCgiException failure;

    ResponseReader(int requestId, FastCgiAddress address, ResponseSink sink, ClientSettings settings) {
        this.requestId = requestId;
        this.address = address;
        this.sink = sink;
        this.maxHeaderBytes = settings.maxHeaderBytes();
        this.maxStderrBytes = settings.maxStderrBytes();
        this.headerBlock = new byte[Math.min(1024, maxHeaderBytes)];
    }

    boolean isEnded() {
        return ended;
    }

    int appStatus() {
        return appStatus;
    }

    ProtocolStatus protocolStatus() {
        return protocolStatus;
    }

    /** Why the response cannot be used, or {@code null}. */
    FastCgiException failure() {
        return failure;
    }

    boolean headersDone() {
        return headersDone;
    }

    /** Whether anything came after END_REQUEST but the answer to the reuse probe; such a connection is not reused. */
    boolean hasTrailingData() {
        return trailing;
    }

    /**
     * Whether the answer to the reuse probe came after END_REQUEST: the backend read the probe
     * once it was done with the request, so its worker is free for the next one.
     */
    boolean workerFree() {
        return workerFree;
    }

    /** Whether the probe was answered before END_REQUEST: such a backend's answer says nothing. */
    boolean probeAnsweredEarly() {
        return answeredEarly;
    }

    /** The bytes this reader holds now: at most the header limit plus the stderr limit. */
    int retainedBytes() {
        return (headerBlock == null ? 0 : headerBlock.length) + (stderr == null ? 0 : stderr.length);
    }

    /** Hands any stderr text still held to the sink. */
    void flushStderr() {
        flushStderr(stderrLength);
    }

    /** Hands the first {@code length} stderr bytes to the sink and keeps the rest. */
    private void flushStderr(int length) {
        if (length > 0) {
            String text = new String(stderr, 0, length, StandardCharsets.UTF_8);
            System.arraycopy(stderr, length, stderr, 0, stderrLength - length);
            stderrLength -= length;
            sink.onStderr(text);
        }
    }

    /**
     * The longest prefix of {@code bytes[0..length)} that does not end inside a UTF-8 character,
     * so that stderr pieces decode whole; all of it when the cut would leave nothing.
     */
    static int utf8Boundary(byte[] bytes, int length) {
        int start = length - 1;
        while (start >= 0 && length - start <= 3 && (bytes[start] & 0xC0) == 0x80) {
            start--;
        }
        if (start <= 0) {
            return length;
        }
        int lead = bytes[start] & 0xFF;
        int size = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return length - start < size ? start : length;
    }

    @Override
    public boolean onStdout(int id, ByteBuffer content) {
        if (!expected(id, "STDOUT")) {
            return false;
        }
        if (headersDone) {
            return !content.hasRemaining() || sink.onBody(content);
        }
        if (!content.hasRemaining()) {
            fail(Code.PROTOCOL_ERROR, address + " ended its output before the CGI headers were complete");
            return false;
        }
        int scanFrom = headerLength - 2;
        int taken = Math.min(content.remaining(), maxHeaderBytes - headerLength);
        ensureHeaderRoom(headerLength + taken);
        content.get(headerBlock, headerLength, taken);
        headerLength += taken;
        int end = CgiHeaders.endOf(headerBlock, scanFrom, headerLength);
        if (end < 0) {
            if (headerLength >= maxHeaderBytes) {
                fail(Code.RESPONSE_TOO_LARGE, address + " sent more than " + maxHeaderBytes
                        + " bytes of response headers (raise the header size limit if that is intended)");
                return false;
            }
            return true;
        }
        ResponseHead head;
        try {
            head = CgiHeaders.parse(headerBlock, end);
        } catch (ProtocolException e) {
            fail(Code.PROTOCOL_ERROR, address + " sent bad CGI headers: " + e.getMessage());
            return false;
        }
        headersDone = true;
        int bodyStart = end;
        int bodyLength = headerLength - end;
        byte[] block = headerBlock;
        headerBlock = null;
        sink.onHeaders(head);
        boolean more = bodyLength == 0 || sink.onBody(ByteBuffer.wrap(block, bodyStart, bodyLength));
        return (!content.hasRemaining() || sink.onBody(content)) && more;
    }

    @Override
    public boolean onStderr(int id, ByteBuffer content) {
        if (!expected(id, "STDERR")) {
            return false;
        }
        while (content.hasRemaining()) {
            if (stderr == null) {
                stderr = new byte[Math.min(maxStderrBytes, 8192)];
            }
            if (stderrLength == stderr.length && stderr.length < maxStderrBytes) {
                stderr = Arrays.copyOf(stderr, Math.min(maxStderrBytes, stderr.length * 2));
            }
            int n = Math.min(content.remaining(), stderr.length - stderrLength);
            content.get(stderr, stderrLength, n);
            stderrLength += n;
            if (stderrLength == maxStderrBytes) {
                flushStderr(utf8Boundary(stderr, stderrLength));
            }
        }
        return true;
    }

    @Override
    public void onEndRequest(int id, int status, ProtocolStatus protocol) {
        if (expected(id, "END_REQUEST")) {
            ended = true;
            appStatus = status;
            protocolStatus = protocol;
        }
    }

    @Override
    public void onFailure(ProtocolException e) {
        if (ended) {
            trailing = true;
            return;
        }
        fail(Code.PROTOCOL_ERROR, address + " sent a malformed record: " + e.getMessage());
    }

    @Override
    public void onBeginRequest(int id, int role, boolean keepConn) {
        unexpected("BEGIN_REQUEST");
    }

    @Override
    public void onAbortRequest(int id) {
        unexpected("ABORT_REQUEST");
    }

    @Override
    public boolean onParams(int id, ByteBuffer content) {
        return unexpected("PARAMS");
    }

    @Override
    public boolean onStdin(int id, ByteBuffer content) {
        return unexpected("STDIN");
    }

    @Override
    public boolean onData(int id, ByteBuffer content) {
        return unexpected("DATA");
    }

    @Override
    public void onGetValuesResult(java.util.Map<String, String> values) {
        if (!ended) {
            answeredEarly = true;
        } else if (workerFree || trailing) {
            trailing = true;
        } else {
            workerFree = true;
        }
    }

    @Override
    public void onUnknownType(int type) {
        if (ended) {
            trailing = true;
            return;
        }
        fail(Code.PROTOCOL_ERROR, address + " did not understand a record of type " + type);
    }

    /** Whether a record belongs to this response and comes while one is expected. */
    private boolean expected(int id, String type) {
        if (ended) {
            trailing = true;
            return false;
        }
        if (failure != null) {
            return false;
        }
        if (id != requestId) {
            fail(Code.PROTOCOL_ERROR, address + " sent " + type + " for request id " + id + ", expected " + requestId);
            return false;
        }
        return true;
    }

    private boolean unexpected(String type) {
        if (ended) {
            trailing = true;
            return false;
        }
        fail(Code.PROTOCOL_ERROR, address + " sent a " + type + " record, which only a client may send");
        return false;
    }

    private void fail(Code code, String message) {
        if (failure == null) {
            failure = new FastCgiException(code, message);
        }
    }

    private void ensureHeaderRoom(int size) {
        if (size > headerBlock.length) {
            headerBlock = Arrays.copyOf(headerBlock, Math.min(maxHeaderBytes, Math.max(size, headerBlock.length * 2)));
        }
    }
}
