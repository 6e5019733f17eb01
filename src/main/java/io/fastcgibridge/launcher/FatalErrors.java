package io.fastcgibridge.launcher;

import java.util.function.IntConsumer;

/**
 * When a thread the server cannot do without (Tomcat's acceptor or poller, the request-head gate)
 * dies, which only an error such as running out of memory makes them do, nothing would be accepted
 * or served any more while the process lives on: the launcher stops instead, with exit status 1, so
 * that whatever supervises it starts a fresh one. Other threads' errors are only reported (Tomcat
 * replaces a request thread that died).
 */
final class FatalErrors implements Thread.UncaughtExceptionHandler {

    /** The exit status after a fatal error. */
    static final int EXIT_STATUS = 1;
    private static final String[] CRITICAL_THREAD_SUFFIXES = {"-Acceptor", "-Poller", "-HeadGate"};

    private final IntConsumer terminate;
    private final Thread.UncaughtExceptionHandler previous;

    private FatalErrors(IntConsumer terminate, Thread.UncaughtExceptionHandler previous) {
        this.terminate = terminate;
        this.previous = previous;
    }

    /** Installs the handler for every thread; {@code terminate} stops the server with an exit status. */
    static void stopOnLossOfACriticalThread(IntConsumer terminate) {
        Thread.setDefaultUncaughtExceptionHandler(new FatalErrors(terminate, Thread.getDefaultUncaughtExceptionHandler()));
    }

    /** The handler alone, for tests. */
    static Thread.UncaughtExceptionHandler handler(IntConsumer terminate) {
        return new FatalErrors(terminate, null);
    }

    @Override
    public void uncaughtException(Thread thread, Throwable error) {
        // First the stop, which needs no memory; then the report, which may fail for want of it.
        boolean fatal = isCritical(thread.getName());
        if (fatal) {
            terminate.accept(EXIT_STATUS);
        }
        try {
            if (fatal) {
                System.err.println("FCGI-0416 " + thread.getName() + " died of " + error
                        + ": nothing would be served any more, so the server stops");
            }
            if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                error.printStackTrace();
            }
        } catch (Throwable ignored) {
            // no memory left to report with; the stop is under way
        }
    }

    private static boolean isCritical(String threadName) {
        for (String suffix : CRITICAL_THREAD_SUFFIXES) {
            if (threadName.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }
}
