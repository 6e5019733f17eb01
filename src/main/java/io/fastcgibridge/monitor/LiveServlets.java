package io.fastcgibridge.monitor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The bridge servlets running in this class loader (a web application, or the launcher), so that
 * a registry bound once follows servlets that start and stop after it.
 */
public final class LiveServlets {

    /** Told when a servlet starts or stops; on the thread starting or stopping it. */
    public interface Listener {
        void started(ServletCounters servlet);

        void stopped(ServletCounters servlet);
    }

    private static final List<ServletCounters> RUNNING = new CopyOnWriteArrayList<>();
    private static final List<Listener> LISTENERS = new CopyOnWriteArrayList<>();

    private LiveServlets() {
    }

    /** The servlets running now. */
    public static List<ServletCounters> running() {
        return List.copyOf(RUNNING);
    }

    /** Tells {@code listener} of every servlet running now and of those that start or stop from now on. */
    public static synchronized void follow(Listener listener) {
        LISTENERS.add(listener);
        RUNNING.forEach(listener::started);
    }

    /** Stops telling {@code listener}. */
    public static synchronized void unfollow(Listener listener) {
        LISTENERS.remove(listener);
    }

    static synchronized void started(ServletCounters servlet) {
        RUNNING.add(servlet);
        LISTENERS.forEach(listener -> listener.started(servlet));
    }

    static synchronized void stopped(ServletCounters servlet) {
        RUNNING.remove(servlet);
        LISTENERS.forEach(listener -> listener.stopped(servlet));
    }
}
