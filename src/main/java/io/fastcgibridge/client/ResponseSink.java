package io.fastcgibridge.client;

import java.nio.ByteBuffer;

/**
 * Receives a streamed response: the head once, then body chunks, then exactly one of
 * {@link #onComplete} or {@link #onFailure}. Callbacks run on the client's I/O thread, one at a
 * time, and must not block. A sink that cannot take more says so by returning {@code false} from
 * {@link #onBody}; the client then stops reading the socket until {@link FastCgiCall#resume()}.
 */
public interface ResponseSink {

    /** Called first, before the request is sent, with the handle to resume or cancel it. */
    default void onStart(FastCgiCall call) {
    }

    /** The status and headers. */
    void onHeaders(ResponseHead head);

    /**
     * A piece of the body, valid only during the call: copy or write it before returning. It may
     * be a direct buffer, without an array: read it with the buffer's own methods.
     *
     * @return {@code true} to go on, {@code false} for "not now"
     */
    boolean onBody(ByteBuffer chunk);

    /**
     * Everything received so far has been delivered and more is to come: a sink that buffers can
     * pass on what it holds now (what PHP flushed). Not called when the response ends in the same read.
     */
    default void onBatchEnd() {
    }

    /** Text the application wrote to stderr, in pieces of at most the configured stderr limit. */
    default void onStderr(String text) {
    }

    /** The response is complete; {@code appStatus} is the application's exit status. */
    void onComplete(int appStatus);

    /** The request failed; nothing more is delivered. */
    void onFailure(FastCgiException failure);
}
