package io.fastcgibridge.client;

import io.fastcgibridge.client.FastCgiException.Code;
import io.fastcgibridge.protocol.ProtocolStatus;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Collects a whole response into a {@link FastCgiResponse}, within limits: a body past the buffered
 * maximum or stderr past its maximum fails the request rather than being cut short.
 */
final class BufferingSink implements ResponseSink {

    private final CompletableFuture<FastCgiResponse> result = new CompletableFuture<>();
    private final long maxBody;
    private final int maxStderr;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final StringBuilder stderr = new StringBuilder();
    private FastCgiCall call;
    private ResponseHead head;
    private long stderrBytes;

    BufferingSink(ClientSettings settings) {
        this.maxBody = settings.maxBufferedBody();
        this.maxStderr = settings.maxStderrBytes();
    }

    CompletableFuture<FastCgiResponse> result() {
        return result;
    }

    @Override
    public void onStart(FastCgiCall started) {
        this.call = started;
        // Cancelling the future cancels the request, which frees its PHP-FPM worker.
        result.whenComplete((response, failure) -> {
            if (result.isCancelled()) {
                started.cancel();
            }
        });
    }

    @Override
    public void onHeaders(ResponseHead responseHead) {
        this.head = responseHead;
    }

    @Override
    public boolean onBody(ByteBuffer chunk) {
        if (body.size() + (long) chunk.remaining() > maxBody) {
            result.completeExceptionally(new FastCgiException(Code.RESPONSE_TOO_LARGE, "the response body from "
                    + call.backend() + " is larger than the " + maxBody
                    + " bytes a buffered response may hold; stream it with a ResponseSink"));
            call.cancel();
            return false;
        }
        if (chunk.hasArray()) {
            body.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
            chunk.position(chunk.limit());
        } else {
            byte[] bytes = new byte[chunk.remaining()];
            chunk.get(bytes);
            body.writeBytes(bytes);
        }
        return true;
    }

    @Override
    public void onStderr(String text) {
        stderrBytes += text.getBytes(StandardCharsets.UTF_8).length;
        if (stderrBytes > maxStderr) {
            result.completeExceptionally(new FastCgiException(Code.RESPONSE_TOO_LARGE, "the application at "
                    + call.backend() + " wrote more than " + maxStderr
                    + " bytes to stderr; stream the response with a ResponseSink to see it all"));
            call.cancel();
            return;
        }
        stderr.append(text);
    }

    @Override
    public void onComplete(int appStatus) {
        result.complete(new FastCgiResponse(head, body.toByteArray(), stderr.toString(), appStatus,
                ProtocolStatus.REQUEST_COMPLETE));
    }

    @Override
    public void onFailure(FastCgiException failure) {
        result.completeExceptionally(failure);
    }
}
