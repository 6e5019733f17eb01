package io.fastcgibridge.launcher.gate;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The gate's log lines. A client can make the gate refuse or close as often as it likes, so each
 * kind of line is written once, or once a minute, never once per connection. Gate thread only.
 */
final class GateLog {

    private static final System.Logger LOG = System.getLogger(RequestHeadGate.class.getName());
    private static final long REPEAT_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final GateLimits limits;
    private final Set<Refusal> refusalsLogged = EnumSet.noneOf(Refusal.class);
    private boolean evictionLogged;
    private long acceptFailureLoggedAt;
    private boolean acceptFailureLogged;

    GateLog(GateLimits limits) {
        this.limits = limits;
    }

    void refused(Refusal refusal) {
        if (refusalsLogged.add(refusal)) {
            LOG.log(System.Logger.Level.INFO, "FCGI-0411 a request head was refused with " + refusal.status() + " ("
                    + refusal.name().toLowerCase(Locale.ROOT).replace('_', ' ') + "; limits: " + limits.maxHeadBytes()
                    + " bytes within " + limits.headerTimeout().toSeconds() + " s); further ones are not logged");
        }
    }

    void evicting(int waiting) {
        if (!evictionLogged) {
            evictionLogged = true;
            LOG.log(System.Logger.Level.WARNING, "FCGI-0410 " + waiting + " connections are waiting for their"
                    + " request head, the most this heap allows: the oldest is closed for each new one (logged once)");
        }
    }

    void acceptFailed(Exception e, long now) {
        if (!acceptFailureLogged || now - acceptFailureLoggedAt >= REPEAT_NANOS) {
            acceptFailureLogged = true;
            acceptFailureLoggedAt = now;
            LOG.log(System.Logger.Level.WARNING, "FCGI-0412 cannot accept connections: " + e.getMessage()
                    + " (too many open files? raise ulimit -n; logged at most once a minute)");
        }
    }

    static void failed(String what, Throwable error) {
        LOG.log(System.Logger.Level.ERROR, "FCGI-0414 " + what, error);
    }

    static void outOfMemory(String doing) {
        try {
            LOG.log(System.Logger.Level.ERROR, "FCGI-0413 out of memory while " + doing
                    + " in the request-head gate: that connection is closed, the others go on");
        } catch (Throwable ignored) {
            // still no memory to log with: the connection is closed all the same
        }
    }
}
