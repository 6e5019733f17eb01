package io.fastcgibridge.launcher;

import io.fastcgibridge.client.FastCgiAddress;
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
import java.nio.file.Path;

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
    private ControlSocket control;

    Server(CdiContainer cdi, EventDispatcher events) {
        this.cdi = cdi;
        this.events = events;
    }

    /** Starts the managed PHP-FPM; its events go through this server's dispatcher. */
    ManagedPhpFpm startPhpFpm(java.nio.file.Path binary, PhpFpmPoolConfig config) throws IOException {
        if (config.poolUser().isRoot()) {
            LOG.log(System.Logger.Level.WARNING, "FCGI-0712 PHP runs as root: serve runs as root and manages PHP-FPM,"
                    + " so every PHP script can do anything on this machine. Give --fpm-user USER[:GROUP] (for"
                    + " example www-data) or run serve as an unprivileged user; --strict refuses to start like this");
        }
        phpFpm = ManagedPhpFpm.start(binary, config, new ManagedPhpFpm.Listener() {
            @Override
            public void started(long pid, String fpmAddress) {
                LOG.log(System.Logger.Level.INFO, "FCGI-0700 PHP-FPM {0} started, pid {1}", fpmAddress, Long.toString(pid));
                events.fire(new ManagerStartEvent(pid, FastCgiAddress.parse(fpmAddress)));
            }

            @Override
            public void stopped(long pid, int exitCode) {
                events.fire(new ManagerStopEvent(pid, exitCode));
            }

            @Override
            public void died(long pid, int exitCode, Integer signal, String logTail) {
                LOG.log(System.Logger.Level.ERROR, "FCGI-0703 PHP-FPM (pid {0}) died with status {1}; its log ends:\n{2}",
                        Long.toString(pid), Integer.toString(exitCode), logTail);
                events.fire(new WorkerErrorEvent(new FastCgiAddress.Unix(config.socket()),
                        new WorkerErrorEvent.ProcessExited(exitCode, signal), "PHP-FPM exited with status " + exitCode));
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
     * Answers {@code reload} through a control socket at {@code socket}, beside the PID file. A socket
     * that cannot be made is only a warning (SIGHUP still reloads); another serve answering there is
     * an error.
     */
    void openControl(Path socket) throws IOException {
        try {
            control = ControlSocket.open(socket, command -> command.equals("reload")
                    ? reload("reload command").answer() : ControlSocket.FAILED + "unknown command " + command);
            LOG.log(System.Logger.Level.INFO, "FCGI-0717 reload --pid-file answers at {0}", socket.toString());
        } catch (ControlSocket.InUseException e) {
            throw e;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "FCGI-0719 no control socket at " + socket + " (" + e
                    + "): reload --pid-file will not work, SIGHUP still reloads");
        }
    }

    /** Reloads on SIGHUP, and warns when SIGHUP cannot arrive because it was ignored at start. */
    void reloadOnSighup() {
        if (!Signals.onReload(() -> reload("SIGHUP"))) {
            LOG.log(System.Logger.Level.WARNING, "FCGI-0716 SIGHUP is ignored by this process (started under nohup or"
                    + " by a supervisor that ignores it): kill -HUP will not reload. Use "
                    + (control == null ? "serve --pid-file F and " : "")
                    + "reload --pid-file F, which confirms the reload");
        }
    }

    /**
     * Reloads: PHP-FPM gracefully when the launcher manages it (a PHP-FPM of your own reloads with
     * its own {@code systemctl reload}), then the reload observers; returns what happened.
     */
    synchronized ReloadOutcome reload(String reason) {
        events.fire(new BeforeReloadEvent(reason));
        ReloadOutcome outcome = new ReloadOutcome(true, "no PHP-FPM of serve's own (--fpm): reload yours with its"
                + " own service; reload observers were notified");
        if (phpFpm != null) {
            try {
                phpFpm.reload();
                LOG.log(System.Logger.Level.INFO, "FCGI-0704 PHP-FPM reloaded ({0})", reason);
                outcome = new ReloadOutcome(true, "PHP-FPM (pid " + phpFpm.pid() + ") re-read its configuration and"
                        + " its new workers are ready; reload observers were notified");
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "FCGI-0705 PHP-FPM reload failed: " + e.getMessage());
                outcome = new ReloadOutcome(false, "PHP-FPM did not reload: " + e.getMessage());
            }
        }
        outcome = reloadCertificates(reason, outcome);
        events.fire(new AfterReloadEvent(reason, outcome.succeeded()));
        return outcome;
    }

    /** Re-reads the TLS certificate and key, when serving HTTPS; connections already open keep theirs. */
    private ReloadOutcome reloadCertificates(String reason, ReloadOutcome sofar) {
        try {
            if (tomcat == null || !tomcat.reloadCertificates()) {
                return sofar;
            }
            LOG.log(System.Logger.Level.INFO, "FCGI-0630 TLS certificate and key re-read ({0})", reason);
            return new ReloadOutcome(sofar.succeeded(), sofar.detail() + "; the TLS certificate was re-read");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "FCGI-0631 TLS certificate reload failed, the previous certificate"
                    + " stays in use: " + e.getMessage());
            return new ReloadOutcome(false, sofar.detail() + "; the TLS certificate was NOT re-read: "
                    + e.getMessage());
        }
    }

    /** Stops answering {@code reload}, stops accepting, drains, stops PHP-FPM and CDI. */
    synchronized void stop() {
        if (control != null) {
            control.close();
        }
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
