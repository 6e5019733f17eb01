package io.fastcgibridge.launcher;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Signals for the launcher: a clean stop on SIGINT or SIGTERM, then exit 0 (the JVM's own handling
 * would exit 130 or 143 after the shutdown hooks; a shutdown hook still covers other ways of
 * exiting), and a reload on SIGHUP.
 */
final class Signals {

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

    static void onTermination(Runnable stop) {
        AtomicBoolean once = new AtomicBoolean();
        Runnable stopOnce = () -> {
            if (once.compareAndSet(false, true)) {
                stop.run();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stopOnce, "fastcgi-bridge-shutdown"));
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), signal -> new Thread(() -> {
                stopOnce.run();
                System.exit(0);
            }, "fastcgi-bridge-stop").start());
        }
    }
}
