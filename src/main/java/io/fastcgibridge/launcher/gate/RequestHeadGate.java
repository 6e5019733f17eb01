package io.fastcgibridge.launcher.gate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The request-head gate: it accepts the connections of a server socket and holds each one, for
 * about a kilobyte of heap, until its request head has arrived whole; only then is the connection
 * ready to {@link #take}, with the bytes read so far. A client that sends its head slowly, or
 * never, costs the HTTP server behind it nothing (nginx holds such connections as cheaply).
 *
 * <p>Threading: one thread of its own accepts, reads, scans, answers refusals (408, 414, 431, 503)
 * and closes; it only moves bytes. {@link #take}, {@link #wakeUpTaker} and {@link #close} may be
 * called from any thread.
 *
 * <p>A TLS front would gate the same way on a whole ClientHello (first byte 0x16): the scanner is
 * the only part that knows HTTP.
 */
public final class RequestHeadGate implements AutoCloseable {

    /** How often held connections are checked against their deadlines. */
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** How long a refused client may go on sending before it is closed (so it reads the refusal, not a reset). */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int ACCEPTS_PER_TURN = 256;
    private static final long ACCEPT_FAILURE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ServerSocketChannel server;
    private final GateLimits limits;
    private final LongSupplier nanoClock;
    private final Selector selector;
    private final SelectionKey acceptKey;
    private final Thread thread;
    private final GateLog log;
    private final ReadyHeads ready;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
    /** Connections still sending their head (or draining after a refusal), oldest first. Gate thread only. */
    private final Set<PendingHead> pending = new LinkedHashSet<>();
    private long pendingBytes;
    private long nextSweep;
    private long acceptPausedUntil;
    private volatile boolean closed;
    /** What the gate held after its last turn, for tests to wait on. */
    private volatile int sendingAfterLastTurn;
    private volatile long bufferedAfterLastTurn;
    private volatile long handedOver;

    private RequestHeadGate(ServerSocketChannel server, GateLimits limits, LongSupplier nanoClock, String name)
            throws IOException {
        this.server = server;
        this.limits = limits;
        this.nanoClock = nanoClock;
        this.nextSweep = nanoClock.getAsLong();
        this.acceptPausedUntil = nextSweep;
        this.log = new GateLog(limits);
        this.selector = Selector.open();
        // Once Tomcat has taken a connection, a full gate may accept again.
        this.ready = new ReadyHeads(selector::wakeup);
        server.configureBlocking(false);
        this.acceptKey = server.register(selector, SelectionKey.OP_ACCEPT);
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /** Starts accepting on {@code server} (a bound socket) on a thread named {@code name}. */
    public static RequestHeadGate start(ServerSocketChannel server, GateLimits limits, LongSupplier nanoClock,
            String name) throws IOException {
        RequestHeadGate gate = new RequestHeadGate(server, limits, nanoClock, name);
        gate.thread.start();
        return gate;
    }

    /**
     * The next connection whose head is whole, waiting up to {@code timeout}; {@code null} when none
     * came or {@link #wakeUpTaker} was called.
     */
    public GatedConnection take(long timeout, TimeUnit unit) throws InterruptedException {
        return ready.take(timeout, unit);
    }

    /** Makes a {@link #take} under way return at once. */
    public void wakeUpTaker() {
        ready.wakeUpTaker();
    }

    /** Connections whose head is whole, waiting to be taken. */
    public int ready() {
        return ready.size();
    }

    /** Connections handed over since the start (tests check that kept-alive requests do not come through here). */
    long handedOver() {
        return handedOver;
    }

    /** Stops accepting and closes every connection held, sending or ready. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ready.closeAll();
        ready.wakeUpTaker();
    }

    /** Makes the gate's thread look at its clock now (tests move the clock by hand). */
    void wakeUp() {
        selector.wakeup();
    }

    /** Connections still sending their head (or draining a refusal), as of the gate's last turn. */
    int sending() {
        return sendingAfterLastTurn;
    }

    /** Bytes of heads held, sending or ready, as of the gate's last turn. */
    long buffered() {
        return bufferedAfterLastTurn;
    }

    private void run() {
        try {
            while (!closed) {
                try {
                    turn();
                } catch (OutOfMemoryError e) {
                    GateLog.outOfMemory("between connections");
                    pauseAfterFailure();
                } catch (ClosedSelectorException e) {
                    throw e;
                } catch (RuntimeException e) {
                    GateLog.failed("the request-head gate failed; it goes on", e);
                    pauseAfterFailure();
                }
            }
        } catch (ClosedSelectorException | IOException e) {
            if (!closed) {
                // Dying, this thread tells the launcher that nothing can be accepted any more.
                throw new IllegalStateException("FCGI-0414 the request-head gate stopped: no new connection"
                        + " can be accepted", e);
            }
        } finally {
            new ArrayList<>(pending).forEach(this::drop);
            closeQuietly(selector);
        }
    }

    /** One turn: wait for sockets ready or the next sweep, then serve them. */
    private void turn() throws IOException {
        selector.select(TimeUnit.NANOSECONDS.toMillis(SWEEP_NANOS));
        long now = nanoClock.getAsLong();
        handleSelected(now);
        if (now - nextSweep >= 0) {
            sweep(now);
            nextSweep = now + SWEEP_NANOS;
        }
        int wanted = acceptPaused(now) ? 0 : SelectionKey.OP_ACCEPT;
        if (acceptKey.interestOps() != wanted) {
            acceptKey.interestOps(wanted);
        }
        sendingAfterLastTurn = pending.size();
        bufferedAfterLastTurn = pendingBytes + ready.bytes();
    }

    private void handleSelected(long now) {
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            if (key == acceptKey) {
                acceptAll(now);
                continue;
            }
            PendingHead head = (PendingHead) key.attachment();
            try {
                if (key.isValid() && key.isReadable()) {
                    read(head, now);
                }
            } catch (IOException e) {
                drop(head);
            } catch (OutOfMemoryError e) {
                drop(head);
                GateLog.outOfMemory("reading a request head");
            } catch (RuntimeException e) {
                drop(head);
                GateLog.failed("a connection in the request-head gate failed", e);
            }
        }
    }

    private void acceptAll(long now) {
        for (int i = 0; i < ACCEPTS_PER_TURN && !acceptPaused(now); i++) {
            SocketChannel channel = null;
            try {
                channel = server.accept();
                if (channel == null) {
                    return;
                }
                if (!makeRoomForOneMore()) {
                    closeQuietly(channel);
                    continue;
                }
                channel.configureBlocking(false);
                PendingHead head = new PendingHead(channel, now + limits.headerTimeout().toNanos());
                head.key(channel.register(selector, SelectionKey.OP_READ, head));
                pending.add(head);
            } catch (IOException e) {
                // Out of file descriptors, most likely: let some close before trying again.
                closeQuietly(channel);
                acceptPausedUntil = now + ACCEPT_FAILURE_PAUSE_NANOS;
                log.acceptFailed(e, now);
            } catch (OutOfMemoryError e) {
                closeQuietly(channel);
                GateLog.outOfMemory("accepting a connection");
            }
        }
    }

    private void read(PendingHead head, long now) throws IOException {
        readBuffer.clear();
        if (!head.isRefused()) {
            readBuffer.limit(Math.min(readBuffer.capacity(), head.room(limits.maxHeadBytes())));
        }
        int read = head.channel().read(readBuffer);
        if (read < 0) {
            drop(head);
            return;
        }
        if (read == 0 || head.isRefused()) {
            return;
        }
        readBuffer.flip();
        int growth = head.growthFor(read, limits.maxHeadBytes());
        if (growth > 0 && !budgetAllows(growth, head)) {
            refuse(head, Refusal.BUSY, now);
            return;
        }
        pendingBytes += growth;
        if (head.append(readBuffer, growth)) {
            handOver(head);
        } else if (head.room(limits.maxHeadBytes()) == 0) {
            refuse(head, head.tooLarge(), now);
        }
    }

    private void handOver(PendingHead head) {
        head.key().cancel();
        pending.remove(head);
        pendingBytes -= head.held();
        ready.put(new GatedConnection(head.channel(), head.received()));
        handedOver++;
    }

    /** Answers and half-closes; the connection drains what the client still sends for a moment. */
    private void refuse(PendingHead head, Refusal refusal, long now) {
        log.refused(refusal);
        try {
            head.channel().write(refusal.response(Refusal.utcNow()));
            head.channel().shutdownOutput();
        } catch (IOException e) {
            drop(head);
            return;
        }
        pendingBytes -= head.held();
        head.refused(now + LINGER_NANOS);
    }

    private void sweep(long now) {
        List<PendingHead> expired = new ArrayList<>();
        for (PendingHead head : pending) {
            if (now - head.deadline() >= 0) {
                expired.add(head);
            }
        }
        for (PendingHead head : expired) {
            if (!head.isRefused() && head.sentAnything()) {
                log.refused(Refusal.HEADER_TIMEOUT);
                writeQuietly(head.channel(), Refusal.HEADER_TIMEOUT.response(Refusal.utcNow()));
            }
            drop(head);
        }
    }

    /** At the bound, the oldest connection still sending its head goes: a slow client, most likely. */
    private boolean makeRoomForOneMore() {
        while (waiting() >= limits.maxWaiting() && !pending.isEmpty()) {
            log.evicting(waiting());
            drop(pending.iterator().next());
        }
        return waiting() < limits.maxWaiting();
    }

    /** Whether the heap for heads has room to grow {@code growing} by {@code growth}, once the oldest heads went. */
    private boolean budgetAllows(int growth, PendingHead growing) {
        Iterator<PendingHead> oldest = pending.iterator();
        while (pendingBytes + ready.bytes() + growth > limits.maxBufferedBytes() && oldest.hasNext()) {
            PendingHead candidate = oldest.next();
            if (candidate != growing && candidate.held() > 0) {
                log.evicting(waiting());
                oldest.remove();
                forget(candidate);
            }
        }
        return pendingBytes + ready.bytes() + growth <= limits.maxBufferedBytes();
    }

    /** Connections held: sending their head, or whole and not taken yet. */
    private int waiting() {
        return pending.size() + ready.size();
    }

    /** Whether to leave new connections in the backlog: the gate is full of heads Tomcat has not taken, or accept failed. */
    private boolean acceptPaused(long now) {
        return waiting() >= limits.maxWaiting() && pending.isEmpty() || now - acceptPausedUntil < 0;
    }

    private void drop(PendingHead head) {
        pending.remove(head);
        forget(head);
    }

    private void forget(PendingHead head) {
        pendingBytes -= head.held();
        head.key().cancel();
        closeQuietly(head.channel());
    }

    private static void pauseAfterFailure() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void writeQuietly(SocketChannel channel, ByteBuffer response) {
        try {
            channel.write(response);
        } catch (IOException ignored) {
            // the client is gone; it is being closed anyway
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException ignored) {
            // nothing more to do with it
        }
    }
}
