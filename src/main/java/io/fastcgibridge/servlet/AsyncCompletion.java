package io.fastcgibridge.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Ends one asynchronous request exactly once, cleanly or by breaking the connection off, reports
 * how it ended, and runs clean-ups.
 */
final class AsyncCompletion {

    /** Set on a request whose committed response must break off: the re-dispatch then throws. */
    static final String ABORT = AsyncCompletion.class.getName() + ".abort";

    private final AsyncContext async;
    private final HttpServletRequest request;
    private final Consumer<ForwardResult> whenDone;
    private final AtomicBoolean done = new AtomicBoolean();
    private final List<Runnable> cleanUps = new ArrayList<>();

    AsyncCompletion(AsyncContext async, HttpServletRequest request, Consumer<ForwardResult> whenDone) {
        this.async = async;
        this.request = request;
        this.whenDone = whenDone;
    }

    synchronized void onEnd(Runnable cleanUp) {
        cleanUps.add(cleanUp);
    }

    /** Runs {@code task} on a container thread; false when the request has ended and it will not run. */
    boolean execute(Runnable task) {
        if (done.get()) {
            return false;
        }
        try {
            async.start(task);
            return true;
        } catch (IllegalStateException e) {
            return false; // the container ended the request meanwhile
        }
    }

    boolean isDone() {
        return done.get();
    }

    /**
     * Ends the request. {@code breakOff} is for a committed response that failed: the client must
     * see it end abruptly rather than take it for whole, and the Servlet API has no call for that,
     * so the request is dispatched back to the servlet, which throws, and the container then closes
     * the connection.
     */
    void finish(ForwardResult result, boolean breakOff) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        try {
            if (breakOff) {
                request.setAttribute(ABORT, Boolean.TRUE);
                async.dispatch();
            } else {
                async.complete();
            }
        } catch (IllegalStateException e) {
            // the container already ended it (client gone, timeout)
        }
        List<Runnable> toRun;
        synchronized (this) {
            toRun = new ArrayList<>(cleanUps);
            cleanUps.clear();
        }
        toRun.forEach(Runnable::run);
        whenDone.accept(result);
    }
}
