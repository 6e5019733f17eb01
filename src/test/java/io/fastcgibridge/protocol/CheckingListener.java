package io.fastcgibridge.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Passes every callback on to a listener after checking the decoder's promises: nothing after a
 * failure, stream content as a view of the receive buffer (no copy, no accumulation). Pauses at
 * random after stream slices, as a full response sink would.
 */
public final class CheckingListener implements RecordDecoder.Listener {

    private final RecordDecoder.Listener delegate;
    private final ByteBuffer buffer;
    private final Random random;
    private boolean failed;

    public CheckingListener(RecordDecoder.Listener delegate, ByteBuffer buffer, Random random) {
        this.delegate = delegate;
        this.buffer = buffer;
        this.random = random;
    }

    /** Whether the decoder reported a failure. */
    public boolean failed() {
        return failed;
    }

    @Override
    public void onBeginRequest(int requestId, int role, boolean keepConn) {
        alive();
        delegate.onBeginRequest(requestId, role, keepConn);
    }

    @Override
    public void onAbortRequest(int requestId) {
        alive();
        delegate.onAbortRequest(requestId);
    }

    @Override
    public void onEndRequest(int requestId, int appStatus, ProtocolStatus protocolStatus) {
        alive();
        delegate.onEndRequest(requestId, appStatus, protocolStatus);
    }

    @Override
    public boolean onParams(int requestId, ByteBuffer content) {
        return stream(content, () -> delegate.onParams(requestId, content));
    }

    @Override
    public boolean onStdin(int requestId, ByteBuffer content) {
        return stream(content, () -> delegate.onStdin(requestId, content));
    }

    @Override
    public boolean onStdout(int requestId, ByteBuffer content) {
        return stream(content, () -> delegate.onStdout(requestId, content));
    }

    @Override
    public boolean onStderr(int requestId, ByteBuffer content) {
        return stream(content, () -> delegate.onStderr(requestId, content));
    }

    @Override
    public boolean onData(int requestId, ByteBuffer content) {
        return stream(content, () -> delegate.onData(requestId, content));
    }

    @Override
    public void onGetValues(List<String> names) {
        alive();
        delegate.onGetValues(names);
    }

    @Override
    public void onGetValuesResult(Map<String, String> values) {
        alive();
        delegate.onGetValuesResult(values);
    }

    @Override
    public void onUnknownType(int type) {
        alive();
        delegate.onUnknownType(type);
    }

    @Override
    public void onFailure(ProtocolException failure) {
        alive();
        failed = true;
        delegate.onFailure(failure);
    }

    private void alive() {
        assertFalse(failed, "a callback after onFailure");
    }

    /** Checks the slice is a view of the receive buffer, delivers it, and sometimes pauses after it. */
    private boolean stream(ByteBuffer content, BooleanSupplier deliver) {
        alive();
        assertEquals(buffer.isDirect(), content.isDirect(), "a slice of the receive buffer");
        if (!content.isDirect()) {
            assertSame(buffer.array(), content.array(), "a slice of the receive buffer, not a copy");
        }
        assertTrue(content.remaining() <= buffer.capacity());
        return deliver.getAsBoolean() && random.nextInt(5) != 0;
    }
}
