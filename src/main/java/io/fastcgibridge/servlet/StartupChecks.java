package io.fastcgibridge.servlet;

import io.fastcgibridge.client.FastCgiAddress;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks at start what the configuration names but cannot vouch for: that every PHP-FPM address
 * accepts connections, and that the front controller is a file of the document root. Each problem
 * would fail requests; it is a warning since PHP-FPM may come up later, and with {@code strict} it
 * stops the start.
 */
public final class StartupChecks {

    /** Longer than a local connect ever takes, short enough not to hold the start up. */
    private static final Duration PROBE_LIMIT = Duration.ofSeconds(2);

    /**
     * A start-up check that failed.
     *
     * @param option the option (and launcher flag) that names what is missing
     * @param value its value
     * @param problem what is wrong
     * @param consequence what requests get while it is so
     */
    public record Problem(BridgeOption option, String value, String problem, String consequence) {
        /** The option, its value and the problem, in one line. */
        public String text() {
            return option.key() + " " + value + ": " + problem;
        }
    }

    private StartupChecks() {
    }

    /** Every problem found, in option order; none when all is well. */
    public static List<Problem> of(BridgeConfig config) {
        List<Problem> problems = new ArrayList<>();
        Duration limit = config.client().connectTimeout().compareTo(PROBE_LIMIT) < 0
                ? config.client().connectTimeout() : PROBE_LIMIT;
        for (FastCgiAddress backend : config.client().backends()) {
            probe(backend, limit).ifPresent(problem -> problems.add(new Problem(BridgeOption.FPM, backend.toString(),
                    problem, "requests get 502 until PHP-FPM accepts there")));
        }
        frontController(config).ifPresent(problems::add);
        return problems;
    }

    /** Why {@code address} takes no connection, or nothing when it does; the connection is closed at once. */
    private static Optional<String> probe(FastCgiAddress address, Duration limit) {
        if (address instanceof FastCgiAddress.Unix unix) {
            Path socket = unix.path();
            if (!Files.exists(socket)) {
                return Optional.of("no such socket file (is PHP-FPM running, and is this its listen address?)");
            }
            if (Files.isRegularFile(socket) || Files.isDirectory(socket)) {
                return Optional.of("not a socket");
            }
            try (SocketChannel probe = SocketChannel.open(unix.socketAddress())) {
                return Optional.empty();
            } catch (IOException e) {
                return Optional.of("cannot connect: " + e.getMessage() + " (a socket left by a stopped PHP-FPM,"
                        + " or listen.owner and listen.mode keep this user out?)");
            }
        }
        try (Socket probe = new Socket()) {
            probe.connect(address.socketAddress(), (int) limit.toMillis());
            return Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.of("unknown host");
        } catch (SocketTimeoutException e) {
            return Optional.of("no answer to a connection within " + limit.toMillis() + " ms");
        } catch (IOException e) {
            return Optional.of("cannot connect: " + e.getMessage());
        }
    }

    private static Optional<Problem> frontController(BridgeConfig config) {
        String script = config.frontController();
        if (script.isEmpty()) {
            return Optional.empty();
        }
        Path file = config.documentRoot().resolve(script.substring(1)).normalize();
        if (Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(new Problem(BridgeOption.FRONT_CONTROLLER, script, "no such file in the document root "
                + config.documentRoot(), "paths that match no file get 404 instead of running it"));
    }
}
