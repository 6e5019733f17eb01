package io.fastcgibridge.launcher;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The Unix domain socket beside the PID file through which {@code reload} asks a running
 * {@code serve} and learns the outcome, where a signal would give no answer (and is not even
 * delivered when SIGHUP was ignored at start, as under {@code nohup}). Only its owner may open it
 * (mode 0600), and only peers of the same user, or root, are answered.
 *
 * <p>Protocol, one line each: serve greets with {@code fastcgi-bridge serve PID}, the client sends a
 * command ({@code reload}), serve answers {@code ok TEXT} or {@code failed TEXT} and closes.
 *
 * <p>Threading: one accepting thread, and a thread per connection (at most {@link #CONNECTIONS});
 * none of serve's other threads ever waits for a client.
 */
final class ControlSocket implements AutoCloseable {

    static final String GREETING = "fastcgi-bridge serve ";
    static final String OK = "ok ";
    static final String FAILED = "failed ";
    private static final System.Logger LOG = System.getLogger("io.fastcgibridge.launcher");
    private static final int CONNECTIONS = 4;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final Path path;
    private final ServerSocketChannel server;
    private final Function<String, String> commands;
    private final Semaphore handlers = new Semaphore(CONNECTIONS);

    private ControlSocket(Path path, ServerSocketChannel server, Function<String, String> commands) {
        this.path = path;
        this.server = server;
        this.commands = commands;
    }

    /** Another serve answers at the path: two serves were given the same {@code --pid-file}. */
    static final class InUseException extends IOException {
        InUseException(Path path) {
            super("another serve answers at " + path + ": was it given the same --pid-file?");
        }
    }

    /** Where the control socket of a serve started with {@code --pid-file pidFile} is. */
    static Path besidePidFile(Path pidFile) {
        return pidFile.resolveSibling(pidFile.getFileName() + ".sock");
    }

    /**
     * Listens at {@code path}; {@code commands} turns a command into the answer line (starting with
     * {@link #OK} or {@link #FAILED}). A socket file left by a serve that was killed is replaced.
     *
     * @throws InUseException when another serve answers there
     * @throws IOException when the socket cannot be made
     */
    static ControlSocket open(Path path, Function<String, String> commands) throws IOException {
        if (Files.exists(path) && answers(path)) {
            throw new InUseException(path);
        }
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(path);
            throw e;
        }
        ControlSocket control = new ControlSocket(path, server, commands);
        Thread acceptor = new Thread(control::accept, "fastcgi-bridge-control");
        acceptor.setDaemon(true);
        acceptor.start();
        return control;
    }

    Path path() {
        return path;
    }

    private static boolean answers(Path path) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                if (!handlers.tryAcquire()) {
                    reject(channel, "busy: " + CONNECTIONS + " control connections are open already");
                    continue;
                }
                Thread handler = new Thread(() -> {
                    try (ControlConnection connection = new ControlConnection(channel)) {
                        serve(connection);
                    } finally {
                        handlers.release();
                    }
                }, "fastcgi-bridge-control-command");
                handler.setDaemon(true);
                handler.start();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "FCGI-0719 control socket " + path + ": " + e.getMessage());
                return;
            }
        }
    }

    private void serve(ControlConnection connection) {
        try {
            String peer = peerUser(connection.channel());
            if (!peer.equals(System.getProperty("user.name")) && !peer.equals("root")) {
                LOG.log(System.Logger.Level.WARNING, "FCGI-0718 control socket {0}: refused user {1}", path, peer);
                connection.writeLine(FAILED + "serve runs as another user");
                return;
            }
            connection.writeLine(GREETING + ProcessHandle.current().pid());
            String command = connection.readLine(COMMAND_TIMEOUT);
            connection.writeLine(commands.apply(command));
        } catch (IOException e) {
            // the client went away or said nothing in time: nobody is left to tell
        }
    }

    private static String peerUser(SocketChannel channel) throws IOException {
        UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        return peer.user().getName();
    }

    private static void reject(SocketChannel channel, String reason) {
        try (ControlConnection connection = new ControlConnection(channel)) {
            connection.writeLine(FAILED + reason);
        } catch (IOException ignored) {
            // a client that is gone already
        }
    }

    /** Stops answering and removes the socket file. */
    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "FCGI-0719 control socket " + path + ": " + e.getMessage());
        }
    }
}
