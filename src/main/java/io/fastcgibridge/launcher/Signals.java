package io.fastcgibridge.launcher;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Signals for the launcher: a clean stop on SIGINT or SIGTERM, then exit 0 (the JVM's own handling
 * would exit 130 or 143 after the shutdown hooks; a shutdown hook still covers other ways of
 * exiting), and a reload on SIGHUP.
 */
final class Signals {

    /** Longer than any clean stop: the grace period, PHP-FPM's own and CDI's. */
    private static final Duration STOP_WITHIN = Duration.ofSeconds(60);

    private Signals() {
    }

    /**
     * Runs {@code reload} on SIGHUP, on a thread of its own. Returns false when SIGHUP was ignored at
     * start ({@code nohup}, some supervisors): the JVM then leaves it ignored, and it never arrives.
     */
    static boolean onReload(Runnable reload) {
        SignalHandler before = Signal.handle(new Signal("HUP"),
                signal -> new Thread(reload, "fastcgi-bridge-reload").start());
        return before != SignalHandler.SIG_IGN;
    }

    /**
     * Runs {@code stop} once on SIGINT or SIGTERM, then exits 0; returns what starts the same stop
     * with another exit status (a fatal error). A second signal exits at once.
     */
    static IntConsumer onTermination(Runnable stop) {
        AtomicBoolean once = new AtomicBoolean();
        Runnable stopOnce = () -> {
            if (once.compareAndSet(false, true)) {
                stop.run();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stopOnce, "fastcgi-bridge-shutdown"));
        // Made now, only started on the signal: a heap with no room left must not keep a signal from stopping.
        AtomicInteger exitStatus = new AtomicInteger();
        Thread watchdog = new Thread(() -> haltAfter(STOP_WITHIN), "fastcgi-bridge-stop-watchdog");
        watchdog.setDaemon(true);
        Thread stopper = new Thread(() -> {
            watchdog.start();
            stopOnce.run();
            System.exit(exitStatus.get());
        }, "fastcgi-bridge-stop");
        AtomicBoolean started = new AtomicBoolean();
        IntConsumer terminate = status -> {
            if (started.compareAndSet(false, true)) {
                exitStatus.set(status);
                stopper.start();
            } else {
                new Thread(() -> System.exit(exitStatus.get()), "fastcgi-bridge-exit").start();
            }
        };
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), signal -> terminate.accept(0));
        }
        return terminate;
    }

    /** The last resort when a stop hangs: a server that neither serves nor ends helps nobody. */
    private static void haltAfter(Duration limit) {
        try {
            Thread.sleep(limit.toMillis());
        } catch (InterruptedException e) {
            return;
        }
        System.err.println("FCGI-0417 the server did not stop within " + limit.toSeconds() + " s: halting");
        Runtime.getRuntime().halt(1);
    }
}
