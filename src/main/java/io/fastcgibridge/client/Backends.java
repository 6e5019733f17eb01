package io.fastcgibridge.client;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The backends of one client and how a request picks one: round-robin or least-busy among those
 * not marked down. A backend that refused a connection is skipped for the down time and then
 * tried again by the next request that picks it.
 */
final class Backends {

    private static final System.Logger LOG = System.getLogger(Backends.class.getName());

    private final List<ConnectionPool> pools;
    /** Per backend: until when it is skipped, in nanoTime; 0 while it is up. */
    private final AtomicLongArray downUntil;
    private final ClientSettings.Balancing balancing;
    private final long downNanos;
    private final AtomicInteger next = new AtomicInteger();
    private final ClientObserver observer;

    Backends(List<ConnectionPool> pools, ClientSettings settings, ClientObserver observer) {
        this.observer = observer;
        this.pools = List.copyOf(pools);
        this.downUntil = new AtomicLongArray(pools.size());
        this.balancing = settings.balancing();
        this.downNanos = settings.downTime().toNanos();
    }

    List<ConnectionPool> pools() {
        return pools;
    }

    /**
     * A backend not yet tried by this request: one that is up when there is any, else the one
     * that went down first. {@code null} when every backend was tried.
     */
    ConnectionPool choose(Set<ConnectionPool> tried, long now) {
        int start = Math.floorMod(next.getAndIncrement(), pools.size());
        ConnectionPool best = null;
        ConnectionPool fallback = null;
        long fallbackUntil = Long.MAX_VALUE;
        for (int i = 0; i < pools.size(); i++) {
            int index = (start + i) % pools.size();
            ConnectionPool pool = pools.get(index);
            if (tried.contains(pool)) {
                continue;
            }
            long until = downUntil.get(index);
            if (until != 0 && now - until < 0) {
                if (fallback == null || until - fallbackUntil < 0) {
                    fallback = pool;
                    fallbackUntil = until;
                }
            } else if (best == null || (balancing == ClientSettings.Balancing.LEAST_BUSY && pool.load() < best.load())) {
                best = pool;
                if (balancing == ClientSettings.Balancing.ROUND_ROBIN) {
                    break;
                }
            }
        }
        return best != null ? best : fallback;
    }

    /** A connection to this backend failed: skip it for the down time. */
    void markDown(ConnectionPool pool, long now, FastCgiException why) {
        // Never exactly 0, which means up.
        boolean wasUp = downUntil.getAndSet(pools.indexOf(pool), (now + downNanos) | 1) == 0;
        if (wasUp && pools.size() > 1) {
            LOG.log(System.Logger.Level.WARNING, "FCGI-0200 backend {0} marked down for {1} ms: {2}",
                    pool.address(), Long.toString(downNanos / 1_000_000), why.getMessage());
        }
    }

    /** A request to {@code pool} (if one was chosen) failed; for monitoring. */
    void failed(ConnectionPool pool, FastCgiException failure) {
        if (pool != null) {
            observer.failed(pool.address(), failure.code());
        }
    }

    /** Each backend's connections now, in the order given. */
    List<PoolState> states(long now) {
        List<PoolState> states = new java.util.ArrayList<>(pools.size());
        for (int i = 0; i < pools.size(); i++) {
            long until = downUntil.get(i);
            states.add(pools.get(i).state(until != 0 && now - until < 0));
        }
        return states;
    }

    /** Takes a backend marked down back into use at once (an operator's {@code markUp()}); false for an unknown one. */
    boolean markUp(FastCgiAddress address) {
        for (ConnectionPool pool : pools) {
            if (pool.address().equals(address)) {
                markUp(pool);
                return true;
            }
        }
        return false;
    }

    /** A connection to this backend worked. */
    void markUp(ConnectionPool pool) {
        int index = pools.indexOf(pool);
        // A plain read first: this runs for every request, and the backend is nearly always up.
        boolean wasDown = downUntil.get(index) != 0 && downUntil.getAndSet(index, 0) != 0;
        if (wasDown && pools.size() > 1) {
            LOG.log(System.Logger.Level.INFO, "FCGI-0201 backend {0} is up again", pool.address());
        }
    }
}
