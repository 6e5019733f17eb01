package io.fastcgibridge.client;

import io.fastcgibridge.client.FastCgiException.Code;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The kept connections to one backend: at most {@code maxConnections} open, a bounded queue of
 * requests waiting for one, and idle connections closed after {@code idleTimeout} so they do not
 * pin PHP-FPM workers. Time comes in as arguments, so the rules can be tested without sleeping.
 *
 * <p>Threading: {@link #acquire} from any thread; {@link #release} and {@link #discard} on the
 * connection's loop; {@link #cleanup} on any loop. State is guarded by one lock; futures are
 * completed and sockets closed outside it.
 */
final class ConnectionPool {

    private record Waiter(CompletableFuture<Connection> future, long deadline) {
    }

    private final FastCgiAddress address;
    private final EventLoopGroup loops;
    private final int maxConnections;
    private final int maxWaiters;
    private final long waitNanos;
    private final long idleNanos;
    private final long connectNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private int open;
    /** Connections in their grace, waiting for their worker's answer: see {@link ReuseProbe}. */
    private int settling;
    /** Connections out of their place, waiting for a busy worker: see {@link ReuseProbe}. */
    private int detached;
    private boolean closed;

    ConnectionPool(FastCgiAddress address, EventLoopGroup loops, ClientSettings settings) {
        this.address = address;
        this.loops = loops;
        this.maxConnections = settings.maxConnections();
        this.maxWaiters = settings.maxWaiters();
        this.waitNanos = settings.poolWaitTimeout().toNanos();
        this.idleNanos = settings.idleTimeout().toNanos();
        this.connectNanos = settings.connectTimeout().toNanos();
    }

    FastCgiAddress address() {
        return address;
    }

    /**
     * A connection for one request: the most recently used idle one, else a new one while under the
     * maximum, else the next one released within the wait timeout. {@code fresh} skips idle
     * connections (a retry after a kept one turned out closed) and closes one to make room.
     */
    CompletableFuture<Connection> acquire(long now, boolean fresh) {
        CompletableFuture<Connection> result = new CompletableFuture<>();
        Connection reuse = null;
        Connection evict = null;
        boolean connect = false;
        lock.lock();
        try {
            if (closed) {
                result.completeExceptionally(new FastCgiException(Code.CLIENT_CLOSED, "the FastCGI client is closed"));
                return result;
            }
            if (!fresh && !idle.isEmpty()) {
                reuse = idle.pollFirst();
            } else if (!fresh && settling > waiters.size() && waiters.size() < maxWaiters) {
                // A worker finishing its script answers within microseconds: cheaper than a new connection.
                waiters.addLast(new Waiter(result, waitNanos > 0 ? now + waitNanos : Long.MAX_VALUE));
            } else if (open < maxConnections || (fresh && !idle.isEmpty())) {
                if (open >= maxConnections) {
                    evict = idle.pollLast();
                    evict.retired = true;
                } else {
                    open++;
                }
                connect = true;
            } else if (waiters.size() < maxWaiters) {
                waiters.addLast(new Waiter(result, waitNanos > 0 ? now + waitNanos : Long.MAX_VALUE));
            } else {
                result.completeExceptionally(exhausted("its wait queue is full (" + maxWaiters + " waiting)"));
            }
        } finally {
            lock.unlock();
        }
        if (evict != null) {
            Connection victim = evict;
            victim.loop.execute(victim::close);
        }
        if (reuse != null) {
            result.complete(reuse);
        } else if (connect) {
            open(result);
        }
        return result;
    }

    /** Takes back a connection that finished a request cleanly and may serve another; loop thread. */
    void release(Connection connection, long now) {
        connection.handOver(new IdleWatch(connection));
        connection.interest(true, false);
        connection.markIdle(now);
        while (true) {
            Waiter waiter;
            lock.lock();
            try {
                if (closed) {
                    waiter = null;
                } else if ((waiter = waiters.pollFirst()) == null) {
                    idle.addFirst(connection);
                    return;
                }
            } finally {
                lock.unlock();
            }
            if (waiter == null) {
                discard(connection);
                return;
            }
            if (waiter.future.complete(connection)) {
                return;
            }
        }
    }

    /**
     * A kept connection whose request is over but whose worker has not said yet that it is free:
     * {@code probe} waits for that, keeping the connection's place for its grace; loop thread.
     */
    void settle(Connection connection, ReuseProbe probe, long now) {
        lock.lock();
        try {
            connection.settling = true;
            settling++;
        } finally {
            lock.unlock();
        }
        connection.handOver(probe);
        connection.interest(true, false);
        probe.start(now);
    }

    /** The worker behind a settling connection is free: it serves the next request, if it has a place. */
    void settled(Connection connection, long now) {
        boolean placed;
        lock.lock();
        try {
            placed = !connection.retired;
            endGrace(connection);
            if (connection.detached) {
                connection.detached = false;
                detached--;
                if (!closed && open < maxConnections) {
                    connection.retired = false;
                    open++;
                    placed = true;
                }
            }
        } finally {
            lock.unlock();
        }
        if (placed) {
            release(connection, now);
        } else {
            discard(connection);
        }
    }

    /**
     * The grace of a settling connection is over: its place goes to a waiter, which opens a new
     * connection. Returns whether the connection waits on out of its place (at most
     * {@code maxConnections} do; past that it is closed); loop thread.
     */
    boolean detach(Connection connection) {
        Waiter waiter = null;
        boolean waitOn;
        lock.lock();
        try {
            waitOn = !closed && detached < maxConnections;
            endGrace(connection);
            if (!connection.retired) {
                connection.retired = true;
                open--;
                if (waitOn) {
                    connection.detached = true;
                    detached++;
                }
                waiter = waiterForFreedPlace();
            }
        } finally {
            lock.unlock();
        }
        if (!waitOn) {
            connection.close();
        }
        if (waiter != null) {
            open(waiter.future);
        }
        return waitOn;
    }

    /** Closes a connection that must not be reused and lets a waiter open another; loop thread. */
    void discard(Connection connection) {
        connection.close();
        Waiter waiter = null;
        lock.lock();
        try {
            idle.remove(connection);
            endGrace(connection);
            if (connection.detached) {
                connection.detached = false;
                detached--;
            }
            if (!connection.retired) {
                connection.retired = true;
                open--;
            }
            waiter = waiterForFreedPlace();
        } finally {
            lock.unlock();
        }
        if (waiter != null) {
            open(waiter.future);
        }
    }

    /** A settling connection's grace is over, whichever way; under the lock. */
    private void endGrace(Connection connection) {
        if (connection.settling) {
            connection.settling = false;
            settling--;
        }
    }

    /** Closes idle connections past the idle timeout and fails waiters past their deadline. */
    void cleanup(long now) {
        List<Connection> evicted = new ArrayList<>();
        List<Waiter> expired = new ArrayList<>();
        lock.lock();
        try {
            Iterator<Connection> oldestFirst = idle.descendingIterator();
            while (oldestFirst.hasNext()) {
                Connection connection = oldestFirst.next();
                if (now - connection.idleSince() < idleNanos) {
                    break;
                }
                oldestFirst.remove();
                connection.retired = true;
                open--;
                evicted.add(connection);
            }
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter waiter = it.next();
                if (waiter.future.isDone() || now - waiter.deadline >= 0) {
                    it.remove();
                    expired.add(waiter);
                }
            }
        } finally {
            lock.unlock();
        }
        evicted.forEach(connection -> connection.loop.execute(connection::close));
        expired.forEach(waiter -> waiter.future.completeExceptionally(exhausted(
                "no connection became free within the pool wait timeout")));
    }

    /** The connections now, for monitoring; {@code down} as the backends know it. */
    PoolState state(boolean down) {
        lock.lock();
        try {
            return new PoolState(address, open - idle.size() + detached, idle.size(), waiters.size(), down);
        } finally {
            lock.unlock();
        }
    }

    /** Requests in flight or waiting, for least-busy balancing. */
    int load() {
        lock.lock();
        try {
            return open - idle.size() + waiters.size();
        } finally {
            lock.unlock();
        }
    }

    /** Fails every waiter and closes idle connections; busy ones close when their request ends. */
    void close() {
        List<Connection> idleNow;
        List<Waiter> waiting;
        lock.lock();
        try {
            closed = true;
            idleNow = new ArrayList<>(idle);
            waiting = new ArrayList<>(waiters);
            idle.clear();
            waiters.clear();
        } finally {
            lock.unlock();
        }
        idleNow.forEach(connection -> connection.loop.execute(connection::close));
        waiting.forEach(waiter -> waiter.future.completeExceptionally(
                new FastCgiException(Code.CLIENT_CLOSED, "the FastCGI client was closed")));
    }

    private void open(CompletableFuture<Connection> result) {
        Connection connection = new Connection(loops.next(), address);
        CompletableFuture<Connection> connected = new CompletableFuture<>();
        connected.whenComplete((ok, failure) -> {
            if (failure == null) {
                if (!result.complete(ok)) {
                    // The request gave up while connecting: keep the connection for someone else.
                    release(ok, System.nanoTime());
                }
            } else {
                connectFailed(failure, result);
            }
        });
        connection.loop.execute(() -> connection.connect(connectNanos, connected));
    }

    /** A backend that refuses one connection refuses the waiters' too: fail them all now. */
    private void connectFailed(Throwable failure, CompletableFuture<Connection> result) {
        List<Waiter> waiting;
        lock.lock();
        try {
            open--;
            waiting = new ArrayList<>(waiters);
            waiters.clear();
        } finally {
            lock.unlock();
        }
        result.completeExceptionally(failure);
        waiting.forEach(waiter -> waiter.future.completeExceptionally(failure));
    }

    /**
     * Under the lock, once a connection gave up its place: the waiter that may open a new one in it,
     * counted as open already, or {@code null}.
     */
    private Waiter waiterForFreedPlace() {
        if (closed || open >= maxConnections) {
            return null;
        }
        Waiter waiter = nextLiveWaiter();
        if (waiter != null) {
            open++;
        }
        return waiter;
    }

    private Waiter nextLiveWaiter() {
        Waiter waiter;
        while ((waiter = waiters.pollFirst()) != null && waiter.future.isDone()) {
            // skip requests that gave up
        }
        return waiter;
    }

    private FastCgiException exhausted(String why) {
        return new FastCgiException(Code.POOL_EXHAUSTED, "all " + maxConnections + " connections to " + address
                + " are busy and " + why + ": raise max-connections up to PHP-FPM's pm.max_children,"
                + " or add workers");
    }

    /** The owner of an idle connection: anything arriving on it (data or end of stream) retires it. */
    private final class IdleWatch implements Connection.Handler {
        private final Connection connection;

        IdleWatch(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void onReadable() {
            try {
                connection.in.clear();
                connection.read();
            } catch (IOException ignored) {
                // retired below either way
            }
            discard(connection);
        }

        @Override
        public void onWritable() {
        }

        @Override
        public long onTimer(long now) {
            return Long.MAX_VALUE;
        }
    }
}
