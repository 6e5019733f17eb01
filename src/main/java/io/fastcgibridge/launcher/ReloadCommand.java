package io.fastcgibridge.launcher;

import io.fastcgibridge.servlet.BridgeConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * {@code reload --pid-file F}: asks the running {@code serve} that wrote F to reload, through its
 * control socket beside F, and waits for the outcome: exit 0 once the reload happened, 1 with the
 * reason otherwise (no serve, the reload failed, no answer in time).
 */
final class ReloadCommand {

    /** PHP-FPM gets 30 s to come back from a reload; room for that and the observers. */
    private static final String DEFAULT_TIMEOUT = "60s";

    private final PrintStream out;
    private final PrintStream err;

    ReloadCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        Path pidFile;
        Duration timeout;
        try {
            Flags flags = Flags.parse(args, Set.of("pid-file", "timeout"), Set.of());
            if (flags.helpRequested() || flags.versionRequested()) {
                return Main.printed(out, flags.helpRequested() ? Main.USAGE_HEAD + usage() : Main.versionLine());
            }
            if (!flags.has("pid-file")) {
                throw new IllegalArgumentException("reload needs --pid-file, the one serve was given");
            }
            pidFile = Path.of(flags.one("pid-file", ""));
            timeout = BridgeConfig.parseDuration(flags.one("timeout", DEFAULT_TIMEOUT));
        } catch (IllegalArgumentException e) {
            err.println("usage error: " + e.getMessage());
            err.print(usage());
            return 2;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            err.println("cannot read a process id from " + pidFile + ": " + e.getMessage());
            return 1;
        }
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            err.println("no running serve with process id " + pid + " (from " + pidFile + ")");
            return 1;
        }
        Path socket = ControlSocket.besidePidFile(pidFile);
        if (!Files.exists(socket)) {
            err.println("process " + pid + " (from " + pidFile + ") has no control socket at " + socket
                    + ": it is not a serve started with this --pid-file, or one older than this reload command;"
                    + " nothing was reloaded");
            return 1;
        }
        return ask(socket, pid, timeout);
    }

    static String usage() {
        return """
                  reload --pid-file F [--timeout 60s]
                      asks the serve that wrote F to reload, through its control socket F.sock, and waits:
                      PHP-FPM reloads gracefully, the TLS certificate is read again; exits 0 once it did,
                      1 with the reason when it did not
                """;
    }

    private int ask(Path socket, long pid, Duration timeout) {
        try (ControlConnection serve = new ControlConnection(SocketChannel.open(UnixDomainSocketAddress.of(socket)))) {
            String greeting = serve.readLine(timeout);
            if (!greeting.equals(ControlSocket.GREETING + pid)) {
                err.println("the control socket " + socket + " did not answer as serve " + pid + ": " + greeting
                        + "; nothing was reloaded");
                return 1;
            }
            serve.writeLine("reload");
            String answer = serve.readLine(timeout);
            if (answer.startsWith(ControlSocket.OK)) {
                out.println("reloaded: " + answer.substring(ControlSocket.OK.length()));
                return 0;
            }
            err.println("reload failed: " + answer.substring(answer.startsWith(ControlSocket.FAILED)
                    ? ControlSocket.FAILED.length() : 0));
            return 1;
        } catch (AsynchronousCloseException e) {
            err.println("no answer from serve " + pid + " within " + timeout.toSeconds() + " s; the reload may still be"
                    + " under way: see its log (FCGI-0704 reloaded, FCGI-0705 failed)");
            return 1;
        } catch (IOException e) {
            err.println("cannot ask serve " + pid + " through " + socket + ": " + e.getMessage());
            return 1;
        }
    }
}
