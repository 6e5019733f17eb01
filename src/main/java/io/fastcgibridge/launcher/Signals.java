package io.fastcgibridge.launcher;

import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Runs a clean stop on SIGINT or SIGTERM, then exits 0: the JVM's own handling would exit 130 or
 * 143 after the shutdown hooks. A shutdown hook still covers other ways of exiting.
 */
final class Signals {

    private Signals() {
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
