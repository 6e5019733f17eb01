package io.fastcgibridge.client;

import io.fastcgibridge.protocol.RecordDecoder;
import java.io.IOException;

/**
 * The owner of a kept connection whose request is over while its worker has not yet said that it
 * is free (the answer to the reuse probe, see {@link RequestWriter#PROBE}, is still to come). It
 * reads on until that answer arrives, then gives the connection back to the pool; anything else,
 * or the end of the stream, closes it.
 *
 * <p>The connection keeps its place in the pool for a short {@link #GRACE}: a worker that simply
 * finishes its script answers within it. Past it the worker is taken to be busy (a script working
 * on after {@code fastcgi_finish_request()}), and the place goes to a new connection, which PHP-FPM
 * gives to an idle worker; this one may still come back later, if the pool has room for it then.
 *
 * <p>Threading: the connection's loop only.
 */
final class ReuseProbe implements Connection.Handler {

    /** How long a finishing worker keeps its connection's place in the pool. */
    static final long GRACE = 10_000_000L;

    private final Connection connection;
    private final ConnectionPool pool;
    private final RecordDecoder decoder;
    private final ResponseReader reader;
    private final long waitNanos;
    private long graceEnds;
    private long givesUpAt;
    private boolean detached;
    /** The answer came, or the connection was given up: the pool or nobody owns it now. */
    private boolean over;

    /**
     * Continues with the decoder and reader of the request just ended; {@code waitNanos} is the
     * longest a connection out of its place waits for its worker before it is closed.
     */
    ReuseProbe(Connection connection, ConnectionPool pool, RecordDecoder decoder, ResponseReader reader,
            long waitNanos) {
        this.connection = connection;
        this.pool = pool;
        this.decoder = decoder;
        this.reader = reader;
        this.waitNanos = waitNanos;
    }

    /** Starts the clocks at {@code now}. */
    void start(long now) {
        graceEnds = now + GRACE;
        givesUpAt = now + waitNanos;
        connection.loop.wakeAt(graceEnds);
    }

    /** Reads out of turn, while this probe still owns the connection: the answer may be there already. */
    void readNow() {
        if (!over && !connection.isClosed()) {
            onReadable();
        }
    }

    @Override
    public void onReadable() {
        int n;
        try {
            n = connection.read();
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            giveUp();
            return;
        }
        connection.in.flip();
        decoder.decode(connection.in);
        connection.in.compact();
        if (reader.hasTrailingData() || decoder.hasFailed()) {
            giveUp();
        } else if (reader.workerFree()) {
            over = true;
            if (decoder.isAtRecordBoundary() && connection.in.position() == 0) {
                pool.settled(connection, System.nanoTime());
            } else {
                pool.discard(connection);
            }
        }
    }

    private void giveUp() {
        over = true;
        pool.discard(connection);
    }

    @Override
    public void onWritable() {
    }

    @Override
    public long onTimer(long now) {
        if (!detached && now - graceEnds >= 0) {
            detached = true;
            if (!pool.detach(connection)) {
                over = true;
                return Long.MAX_VALUE;
            }
            connection.loop.wakeAt(givesUpAt);
        }
        if (detached && now - givesUpAt >= 0) {
            giveUp();
            return Long.MAX_VALUE;
        }
        return detached ? givesUpAt : graceEnds;
    }
}
