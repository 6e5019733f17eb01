package io.fastcgibridge.launcher;

import io.fastcgibridge.event.AfterReloadEvent;
import io.fastcgibridge.event.BeforeReloadEvent;
import io.fastcgibridge.event.EventDispatcher;
import io.fastcgibridge.event.ManagerStartEvent;
import io.fastcgibridge.event.ManagerStopEvent;
import io.fastcgibridge.event.ServerShutdownEvent;
import io.fastcgibridge.event.ServerStartEvent;
import io.fastcgibridge.event.WorkerErrorEvent;
import java.io.IOException;
import java.net.URI;

/**
 * What {@code serve} runs, put together: the CDI container, the managed PHP-FPM when there is one,
 * and embedded Tomcat; started in that order, stopped in the reverse, each step an event.
 */
final class Server {

    private static final System.Logger LOG = System.getLogger("io.fastcgibridge.launcher");

    private final CdiContainer cdi;
    private final EventDispatcher events;
    private ManagedPhpFpm phpFpm;
    private EmbeddedTomcat tomcat;
    private URI address;

    Server(CdiContainer cdi, EventDispatcher events) {
        this.cdi = cdi;
        this.events = events;
    }

    /** Starts the managed PHP-FPM; its events go through this server's dispatcher. */
    ManagedPhpFpm startPhpFpm(java.nio.file.Path binary, PhpFpmPoolConfig config) throws IOException {
        if (config.poolUser().isRoot()) {
            LOG.log(System.Logger.Level.WARNING, "FCGI-0712 PHP runs as root: serve runs as root and manages PHP-FPM,"
                    + " so every PHP script can do anything on this machine. Give --fpm-user USER[:GROUP] (for"
                    + " example www-data) or run serve as an unprivileged user");
        }
        phpFpm = ManagedPhpFpm.start(binary, config, new ManagedPhpFpm.Listener() {
            @Override
            public void started(long pid, String fpmAddress) {
                LOG.log(System.Logger.Level.INFO, "FCGI-0700 PHP-FPM {0} started, pid {1}", fpmAddress, Long.toString(pid));
                events.fire(new ManagerStartEvent(pid, fpmAddress));
            }

            @Override
            public void stopped(long pid, int exitCode) {
                events.fire(new ManagerStopEvent(pid, exitCode));
            }

            @Override
            public void died(long pid, int exitCode, Integer signal, String logTail) {
                LOG.log(System.Logger.Level.ERROR, "FCGI-0703 PHP-FPM (pid {0}) died with status {1}; its log ends:\n{2}",
                        Long.toString(pid), Integer.toString(exitCode), logTail);
                events.fire(new WorkerErrorEvent(config.socket().toString(), "PROCESS_EXITED",
                        "PHP-FPM exited with status " + exitCode, exitCode, signal));
            }
        });
        return phpFpm;
    }

    void serve(EmbeddedTomcat started, URI listening) {
        this.tomcat = started;
        this.address = listening;
        events.fire(new ServerStartEvent(address, ""));
    }

    /**
     * Reloads: PHP-FPM gracefully when the launcher manages it (a PHP-FPM of your own reloads with
     * its own {@code systemctl reload}). Returns whether it succeeded.
     */
    synchronized boolean reload(String reason) {
        events.fire(new BeforeReloadEvent(reason));
        boolean succeeded = true;
        if (phpFpm != null) {
            try {
                phpFpm.reload();
                LOG.log(System.Logger.Level.INFO, "FCGI-0704 PHP-FPM reloaded ({0})", reason);
            } catch (IOException | RuntimeException e) {
                succeeded = false;
                LOG.log(System.Logger.Level.ERROR, "FCGI-0705 PHP-FPM reload failed: " + e.getMessage());
            }
        }
        events.fire(new AfterReloadEvent(reason, succeeded));
        return succeeded;
    }

    /** Stops accepting, drains, stops PHP-FPM and CDI. */
    synchronized void stop() {
        if (tomcat != null) {
            events.fire(new ServerShutdownEvent(""));
            tomcat.stop();
        }
        if (phpFpm != null) {
            phpFpm.close();
        }
        cdi.close();
    }
}
