package io.fastcgibridge.client;

import io.fastcgibridge.client.FastCgiException.Code;
import io.fastcgibridge.protocol.ProtocolStatus;
import io.fastcgibridge.protocol.RecordDecoder;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request from acquiring a connection to the last byte of its response, with timeouts, retry
 * and cancellation.
 *
 * <p>Threading: once a connection is assigned, all state below is touched only on that
 * connection's loop; {@link #resume} and {@link #cancel} hand over to it. Until then only the
 * acquisition callbacks run, one at a time. {@link #finished} makes completion happen once.
 */
final class Exchange implements FastCgiCall, Connection.Handler {

    /** PHP-FPM never multiplexes, so every request on a connection can use the same id. */
    static final int REQUEST_ID = 1;

    private final FastCgiRequest request;
    private final ResponseSink sink;
    private final Backends backends;
    private final EventLoop housekeeping;
    private final byte[] params;
    private final ExchangeTimeouts timeouts;
    private final ClientSettings settings;
    private final Set<ConnectionPool> tried = new HashSet<>();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean cancelled;
    private volatile Connection connection;
    private volatile CompletableFuture<Connection> pending;
    private ConnectionPool pool;
    /** The backend asked last for a connection, known before one is assigned. */
    private volatile ConnectionPool target;
    private RequestWriter writer;
    private ResponseReader reader;
    private RecordDecoder decoder;
    private BodyReader body;
    private boolean reused;
    private boolean retried;
    private boolean bytesReceived;
    private boolean paused;
    private boolean waitingToWrite;
    private boolean waitingForBody;

    Exchange(FastCgiRequest request, byte[] params, ResponseSink sink, Backends backends, EventLoop housekeeping,
            ClientSettings settings) {
        this.request = request;
        this.params = params;
        this.sink = sink;
        this.backends = backends;
        this.housekeeping = housekeeping;
        this.settings = settings;
        this.timeouts = new ExchangeTimeouts(settings);
    }

    /** Picks a backend and waits for a connection to it. */
    void start() {
        long now = System.nanoTime();
        ConnectionPool chosen = backends.choose(tried, now);
        if (chosen == null) {
            return;
        }
        tried.add(chosen);
        acquire(chosen, false, now);
    }

    private void acquire(ConnectionPool from, boolean fresh, long now) {
        target = from;
        CompletableFuture<Connection> next = from.acquire(now, fresh);
        pending = next;
        next.whenComplete((acquired, failure) -> {
            if (failure == null) {
                acquired.loop.execute(() -> begin(from, acquired));
            } else {
                notConnected(from, (FastCgiException) unwrap(failure));
            }
        });
    }

    /** No connection: another backend may still be tried, since nothing of the request was sent. */
    private void notConnected(ConnectionPool from, FastCgiException failure) {
        if (failure.code() == Code.CONNECT_REFUSED || failure.code() == Code.CONNECT_TIMEOUT) {
            long now = System.nanoTime();
            backends.markDown(from, now, failure);
            if (!cancelled && backends.choose(tried, now) != null) {
                start();
                return;
            }
        }
        housekeeping.execute(() -> fail(failure));
    }

    private void begin(ConnectionPool from, Connection acquired) {
        if (finished.get() || cancelled) {
            from.release(acquired, System.nanoTime());
            fail(cancelledFailure());
            return;
        }
        backends.markUp(from);
        pool = from;
        connection = acquired;
        if (acquired.isClosed()) {
            retryOnFreshConnection(Failures.closedEarly(acquired.address));
            return;
        }
        reused = acquired.startExchange();
        acquired.handOver(this);
        acquired.in.clear();
        acquired.out.clear();
        if (reused && !retriableAfterWrite() && closedWhileIdle()) {
            return;
        }
        reader = new ResponseReader(REQUEST_ID, acquired.address, sink, settings);
        decoder = new RecordDecoder(reader);
        // Behind the request, the probe costs no write of its own and no wake-up of the worker.
        boolean probeBehind = settings.verifyReuse() && acquired.canAcknowledgeNow();
        writer = new RequestWriter(REQUEST_ID, request.keepConn(), probeBehind, params,
                request.body().length(), acquired.address);
        bytesReceived = false;
        paused = false;
        waitingForBody = false;
        timeouts.reset();
        try {
            if (body == null) {
                body = request.body().open();
            }
        } catch (IOException | RuntimeException e) {
            fail(new FastCgiException(Code.REQUEST_BODY_FAILED, "cannot open the request body: " + e.getMessage(), e));
            return;
        }
        writer.start(body);
        acquired.loop.wakeAt(timeouts.totalDeadline());
        pump();
    }

    /**
     * Whether a kept connection found closed after the request was written can still take the
     * request again on a fresh one ({@link #failOrRetry}): its body is empty or can be read again.
     */
    private boolean retriableAfterWrite() {
        return request.body().length() == 0 || request.body().isRepeatable();
    }

    /**
     * PHP-FPM closes kept connections when it recycles a worker; one read before writing tells
     * whether that already happened, and then nothing was sent and a fresh connection is used. A
     * request that can be sent again anyway spares this read.
     */
    private boolean closedWhileIdle() {
        try {
            if (connection.read() == 0) {
                return false;
            }
        } catch (IOException e) {
            // as closed
        }
        retryOnFreshConnection(Failures.closedEarly(connection.address));
        return true;
    }

    /** Writes what is ready and sets the socket interest to match. */
    private void pump() {
        try {
            while (true) {
                RequestWriter.Progress progress = writer.fill(connection.out);
                boolean empty = connection.flush();
                if (!empty) {
                    waitingToWrite = true;
                    timeouts.writeBlocked(connection.loop);
                    break;
                }
                waitingToWrite = false;
                if (progress == RequestWriter.Progress.BODY_NOT_READY) {
                    waitForBody();
                    break;
                }
                if (progress == RequestWriter.Progress.DONE) {
                    if (!timeouts.awaitingResponse()) {
                        timeouts.readProgress(connection.loop);
                    }
                    break;
                }
            }
        } catch (FastCgiException e) {
            fail(e);
            return;
        } catch (IOException e) {
            failOrRetry(Failures.reset(connection.address, e));
            return;
        }
        connection.interest(!paused, waitingToWrite);
    }

    private void waitForBody() {
        waitingForBody = true;
        Connection current = connection;
        body.onReadable(() -> current.loop.execute(() -> {
            if (connection == current && waitingForBody && !finished.get()) {
                waitingForBody = false;
                pump();
            }
        }));
    }

    @Override
    public void onWritable() {
        pump();
    }

    @Override
    public void onShutdown() {
        fail(new FastCgiException(Code.CLIENT_CLOSED, "the FastCGI client was closed during the request to "
                + connection.address));
    }

    @Override
    public void onReadable() {
        int n;
        try {
            n = connection.read();
        } catch (IOException e) {
            failOrRetry(Failures.reset(connection.address, e));
            return;
        }
        if (n < 0) {
            failOrRetry(Failures.closedEarly(connection.address));
            return;
        }
        if (n > 0) {
            bytesReceived = true;
            if (writer.isDone()) {
                timeouts.readProgress(connection.loop);
            }
        }
        decodeReceived();
    }

    /** Decodes what the receive buffer holds, then completes, fails, pauses or reads on. */
    private void decodeReceived() {
        connection.in.flip();
        boolean all;
        try {
            all = decoder.decode(connection.in);
        } catch (RuntimeException e) {
            connection.in.compact();
            fail(new FastCgiException(Code.CANCELLED, "the response sink failed: " + e, e));
            return;
        }
        connection.in.compact();
        if (reader.failure() != null) {
            fail(reader.failure());
        } else if (reader.isEnded()) {
            complete();
        } else if (!all) {
            paused = true;
            connection.interest(false, waitingToWrite);
        } else if (reader.headersDone()) {
            sink.onBatchEnd();
        }
    }

    @Override
    public void resume() {
        Connection current = connection;
        if (current != null) {
            current.loop.execute(() -> {
                if (connection == current && paused && !finished.get()) {
                    paused = false;
                    decodeReceived();
                    if (!paused && !finished.get()) {
                        connection.interest(true, waitingToWrite);
                    }
                }
            });
        }
    }

    @Override
    public FastCgiAddress backend() {
        Connection current = connection;
        if (current != null) {
            return current.address;
        }
        ConnectionPool chosen = target;
        return chosen == null ? null : chosen.address();
    }

    @Override
    public void cancel() {
        cancelled = true;
        Connection current = connection;
        if (current != null) {
            current.loop.execute(() -> fail(cancelledFailure()));
        } else {
            CompletableFuture<Connection> waiting = pending;
            if (waiting != null) {
                waiting.completeExceptionally(cancelledFailure());
            }
        }
    }

    @Override
    public long onTimer(long now) {
        if (finished.get()) {
            return Long.MAX_VALUE;
        }
        boolean reading = writer.isDone() && !paused;
        FastCgiException due = timeouts.due(now, reading, waitingToWrite, connection.address);
        if (due != null) {
            fail(due);
            return Long.MAX_VALUE;
        }
        return timeouts.next(reading, waitingToWrite);
    }

    /** END_REQUEST arrived: the connection goes back to the pool if nothing is left over on it. */
    private void complete() {
        ProtocolStatus status = reader.protocolStatus();
        if (status != ProtocolStatus.REQUEST_COMPLETE) {
            fail(refusal(status));
            return;
        }
        if (!reader.headersDone()) {
            fail(new FastCgiException(Code.PROTOCOL_ERROR, connection.address + " ended the request without CGI headers"));
            return;
        }
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        closeBody();
        ReuseProbe probe = handBack();
        try {
            reader.flushStderr();
            sink.onComplete(reader.appStatus());
        } finally {
            if (probe != null) {
                // Completing the response took long enough for the worker to answer, most of the time:
                // read it now rather than after one more wake-up of the loop.
                probe.readNow();
            }
        }
    }

    /**
     * The connection goes back to the pool when it can serve another request: at once when nothing
     * is left over on it and, if the request was followed by the reuse probe, the probe's answer
     * came too; while the answer is still to come (the worker finishing the script, or working on
     * past {@code fastcgi_finish_request()}), the pool waits for it, and the probe that waits is
     * returned. Otherwise it is closed.
     */
    private ReuseProbe handBack() {
        long now = System.nanoTime();
        boolean clean = request.keepConn() && writer.isDone() && !reader.hasTrailingData();
        boolean drained = decoder.isAtRecordBoundary() && connection.in.position() == 0;
        if (!clean || reader.probeAnsweredEarly()) {
            pool.discard(connection);
        } else if (!settings.verifyReuse() || reader.workerFree()) {
            if (drained) {
                pool.release(connection, now);
            } else {
                pool.discard(connection);
            }
        } else if (drained && writer.probes()) {
            ReuseProbe probe = new ReuseProbe(connection, pool, decoder, reader, settleWaitNanos());
            pool.settle(connection, probe, now);
            // Over TCP the answer waits in PHP-FPM for this side's acknowledgement: send it now.
            connection.acknowledgeNow();
            return probe;
        } else if (drained && sendProbe()) {
            pool.settle(connection, new ReuseProbe(connection, pool, decoder, reader, settleWaitNanos()), now);
        } else {
            pool.discard(connection);
        }
        return null;
    }

    /**
     * Sends the reuse probe now, behind END_REQUEST, where it was not sent behind the request (TCP
     * without {@code TCP_QUICKACK}): PHP-FPM (no TCP_NODELAY) would hold its answer, a small write
     * behind unacknowledged bytes, until this side's delayed acknowledgement, about 40 ms; written
     * now, the probe carries that acknowledgement.
     */
    private boolean sendProbe() {
        try {
            connection.out.clear();
            connection.out.put(RequestWriter.PROBE);
            return connection.flush();
        } catch (IOException e) {
            return false;
        }
    }

    /** The longest a connection out of its place waits for a busy worker: the read timeout, or a minute. */
    private long settleWaitNanos() {
        return settings.readTimeout().isZero() ? 60_000_000_000L : settings.readTimeout().toNanos();
    }

    private FastCgiException refusal(ProtocolStatus status) {
        return switch (status) {
            case OVERLOADED -> new FastCgiException(Code.OVERLOADED, connection.address + " is overloaded (FCGI_OVERLOADED)");
            case CANT_MPX_CONN -> new FastCgiException(Code.CANT_MPX_CONN,
                    connection.address + " refused a second request on one connection (FCGI_CANT_MPX_CONN)");
            case UNKNOWN_ROLE -> new FastCgiException(Code.UNKNOWN_ROLE,
                    connection.address + " does not play the responder role (FCGI_UNKNOWN_ROLE)");
            case REQUEST_COMPLETE -> throw new IllegalArgumentException("not a refusal");
        };
    }

    /**
     * A kept connection that ends before any response byte was most likely closed by PHP-FPM
     * recycling its worker: the request is sent once more on a new connection, if its body can be
     * read again.
     */
    private void failOrRetry(FastCgiException failure) {
        boolean canRetry = reused && !retried && !bytesReceived && !cancelled
                && (writer.bodySent() == 0 || request.body().isRepeatable());
        if (canRetry) {
            retryOnFreshConnection(failure);
        } else {
            fail(failure);
        }
    }

    private void retryOnFreshConnection(FastCgiException failure) {
        if (retried) {
            fail(failure);
            return;
        }
        retried = true;
        if (writer != null && writer.bodySent() > 0) {
            // The body is read again from the start; one that was never read goes on as it is.
            closeBody();
        }
        Connection old = connection;
        connection = null;
        old.handOver(null);
        pool.discard(old);
        acquire(pool, true, System.nanoTime());
    }

    /** Ends the request with a failure, closing its connection: that is what frees the PHP-FPM worker. */
    private void fail(FastCgiException failure) {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        backends.failed(target, failure);
        Connection current = connection;
        if (current != null) {
            pool.discard(current);
            closeBody();
        }
        try {
            sink.onFailure(failure);
        } catch (RuntimeException e) {
            System.getLogger(Exchange.class.getName()).log(System.Logger.Level.WARNING,
                    "FCGI-0102 a response sink threw from onFailure", e);
        }
    }

    private FastCgiException cancelledFailure() {
        return new FastCgiException(Code.CANCELLED, "the request to " + (connection == null ? "the backend"
                : connection.address) + " was cancelled");
    }

    private void closeBody() {
        if (body != null) {
            try {
                body.close();
            } catch (IOException ignored) {
                // the body's owner reports its own failures
            }
            body = null;
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof FastCgiException) {
            return cause;
        }
        return new FastCgiException(Code.CONNECT_REFUSED, "cannot connect: " + cause, cause);
    }
}
