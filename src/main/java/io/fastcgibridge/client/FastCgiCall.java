package io.fastcgibridge.client;

/** A request in flight, as seen by its {@link ResponseSink}: it can be resumed or cancelled. */
public interface FastCgiCall {

    /**
     * The backend the request was sent to, or waits for a connection to (or failed to connect to);
     * {@code null} before one is chosen.
     */
    FastCgiAddress backend();

    /** Reading resumes after {@link ResponseSink#onBody} said "not now". Any thread. */
    void resume();

    /**
     * Gives up on the request: its connection is closed, which is what frees a PHP-FPM worker, and
     * the sink gets {@link FastCgiException.Code#CANCELLED} unless the request had already ended.
     * Any thread.
     */
    void cancel();
}
