package io.fastcgibridge.client;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * A response sink for the reader's fuzz test: keeps what it is given, checks the order of the
 * calls and the size of stderr pieces, and says "not now" at random.
 */
final class RecordingSink implements ResponseSink {

    private final Random random;
    private final int maxStderrBytes;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final StringBuilder stderr = new StringBuilder();
    private ResponseHead head;

    RecordingSink(Random random, int maxStderrBytes) {
        this.random = random;
        this.maxStderrBytes = maxStderrBytes;
    }

    ResponseHead head() {
        return head;
    }

    byte[] body() {
        return body.toByteArray();
    }

    String stderr() {
        return stderr.toString();
    }

    @Override
    public void onHeaders(ResponseHead value) {
        assertNull(head, "headers delivered twice");
        head = value;
    }

    @Override
    public boolean onBody(ByteBuffer chunk) {
        assertNotNull(head, "body before the headers");
        assertTrue(chunk.hasRemaining(), "an empty body chunk");
        byte[] bytes = new byte[chunk.remaining()];
        chunk.get(bytes);
        body.writeBytes(bytes);
        return random.nextInt(4) != 0;
    }

    @Override
    public void onStderr(String text) {
        assertTrue(!text.isEmpty() && text.length() <= maxStderrBytes,
                "a stderr piece of " + text.length() + " chars, limit " + maxStderrBytes + " bytes");
        stderr.append(text);
    }

    @Override
    public void onComplete(int appStatus) {
        throw new AssertionError("the reader does not complete; the exchange does");
    }

    @Override
    public void onFailure(FastCgiException failure) {
        throw new AssertionError("the reader does not fail the sink; the exchange does");
    }
}
