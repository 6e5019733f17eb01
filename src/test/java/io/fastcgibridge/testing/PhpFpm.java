package io.fastcgibridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A handle on one real PHP-FPM master started for tests, serving the fixture scripts from
 * {@code src/test/resources/php/} on a Unix socket (pool {@code bridge}) and a TCP port (pool {@code bridge_tcp}).
 */
public final class PhpFpm implements AutoCloseable {

    private static final String NOT_FOUND =
            "PHP-FPM not found: install it (Debian: apt-get install php8.2-fpm) or set PHP_FPM=/path/to/php-fpm";
    private static final Pattern BINARY_NAME = Pattern.compile("php-fpm(?:(\\d+)\\.(\\d+))?");
    private static final long STARTUP_TIMEOUT_MILLIS = 15_000;
    private static final int LOG_TAIL_LINES = 30;

    private final Process process;
    private final Path directory;
    private final int tcpPort;
    private final Thread shutdownHook;
    private boolean stopped;

    private PhpFpm(Process process, Path directory, int tcpPort) {
        this.process = process;
        this.directory = directory;
        this.tcpPort = tcpPort;
        // A crashed or aborted test run must not leave PHP-FPM masters behind.
        this.shutdownHook = new Thread(this::kill, "php-fpm-killer-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts PHP-FPM with the given pool settings and returns once both listeners accept connections. */
    public static PhpFpm start(PhpFpmSettings settings) {
        Path binary = locateBinary();
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(binary, settings);
            } catch (IllegalStateException e) {
                // The free port found may have been taken by another process before PHP-FPM bound it.
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    private static PhpFpm startOnce(Path binary, PhpFpmSettings settings) {
        try {
            Path directory = Files.createTempDirectory("fpm").toAbsolutePath();
            copyFixtures(directory.resolve("docroot"));
            int port = freePort();
            boolean root = isRoot();
            Path config = directory.resolve("php-fpm.conf");
            Files.writeString(config, config(directory, port, root, settings));

            List<String> command = new ArrayList<>(List.of(binary.toString(), "-F", "-y", config.toString()));
            if (root) {
                command.add("-R");
            }
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("fpm.out").toFile())
                    .start();
            PhpFpm fpm = new PhpFpm(process, directory, port);
            fpm.awaitReady(2 * settings.maxChildren());
            return fpm;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start PHP-FPM " + binary, e);
        }
    }

    /** The Unix socket address, {@code unix:///tmp/fpm.../fpm.sock}. */
    public String unixAddress() {
        return "unix://" + socketPath();
    }

    public Path socketPath() {
        return directory.resolve("fpm.sock");
    }

    /** The TCP address, {@code 127.0.0.1:PORT}. */
    public String tcpAddress() {
        return "127.0.0.1:" + tcpPort;
    }

    public int tcpPort() {
        return tcpPort;
    }

    /** The directory holding the copied fixture scripts; use it as DOCUMENT_ROOT. */
    public Path documentRoot() {
        return directory.resolve("docroot");
    }

    /** The absolute path of a fixture script, suitable for SCRIPT_FILENAME. */
    public String script(String name) {
        return documentRoot().resolve(name).toString();
    }

    /** The process id of the FPM master. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The FPM error log so far (master and worker messages), or an empty string if there is none. */
    public String log() {
        try {
            Path log = directory.resolve("fpm.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Kills the master and every worker with SIGKILL, simulating a crash, and waits until all are gone. */
    public synchronized void kill() {
        ProcessHandle master = process.toHandle();
        if (!master.isAlive()) {
            return;
        }
        // Freeze the master first, or it would respawn workers while we kill them.
        signal("-STOP", master.pid());
        List<ProcessHandle> victims = new ArrayList<>(master.descendants().toList());
        victims.forEach(ProcessHandle::destroyForcibly);
        master.destroyForcibly();
        victims.add(master);
        awaitGone(victims);
    }

    /** Shuts PHP-FPM down gracefully (SIGTERM, forced after 10 s) and deletes its directory; safe to call twice. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run; nothing to remove
        }
        if (process.isAlive()) {
            List<ProcessHandle> workers = process.descendants().toList();
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
            workers.forEach(ProcessHandle::destroyForcibly);
        }
        deleteRecursively(directory);
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "PhpFpm[pid=" + pid() + ", " + unixAddress() + ", " + tcpAddress() + "]";
    }

    /** Waits until both listeners accept and every static worker is forked (the sockets open before the last fork). */
    private void awaitReady(int workers) {
        long deadline = System.currentTimeMillis() + STARTUP_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline && process.isAlive()) {
            if (unixSocketAccepts() && tcpPortAccepts() && process.toHandle().children().count() >= workers) {
                return;
            }
            sleep(50);
        }
        String reason = process.isAlive() ? "did not accept connections within 15 s" : "exited with " + process.exitValue();
        kill();
        String message = "PHP-FPM " + reason
                + "\n--- fpm.log ---\n" + tail(directory.resolve("fpm.log"))
                + "\n--- fpm.out ---\n" + tail(directory.resolve("fpm.out"));
        stop();
        throw new IllegalStateException(message);
    }

    private boolean unixSocketAccepts() {
        if (!Files.exists(socketPath())) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socketPath()))) {
            return channel.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private boolean tcpPortAccepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tcpPort), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String config(Path directory, int port, boolean root, PhpFpmSettings settings) {
        StringBuilder pool = new StringBuilder();
        if (root) {
            pool.append("user = root\ngroup = root\n");
        }
        pool.append("pm = static\n")
                .append("pm.max_children = ").append(settings.maxChildren()).append('\n')
                .append("pm.max_requests = ").append(settings.maxRequests()).append('\n')
                .append("request_terminate_timeout = ").append(settings.requestTerminateTimeoutSeconds()).append("s\n")
                .append("catch_workers_output = yes\n")
                .append("clear_env = no\n")
                .append("php_admin_value[memory_limit] = 256M\n")
                .append("php_admin_value[post_max_size] = 0\n")
                .append("php_admin_value[upload_max_filesize] = 200M\n")
                .append("php_admin_value[output_buffering] = 0\n")
                .append("php_admin_value[enable_post_data_reading] = On\n");
        for (Map.Entry<String, String> extra : settings.extraPoolSettings().entrySet()) {
            pool.append(extra.getKey()).append(" = ").append(extra.getValue()).append('\n');
        }
        return "[global]\n"
                + "pid = " + directory.resolve("fpm.pid") + "\n"
                + "error_log = " + directory.resolve("fpm.log") + "\n"
                + "daemonize = no\n"
                + "log_level = notice\n"
                + "\n[bridge]\n"
                + "listen = " + directory.resolve("fpm.sock") + "\n"
                + "listen.mode = 0666\n"
                + pool
                + "\n[bridge_tcp]\n"
                + "listen = 127.0.0.1:" + port + "\n"
                + pool;
    }

    private static Path locateBinary() {
        String configured = System.getenv("PHP_FPM");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException("PHP_FPM=" + configured + " is not an executable file. " + NOT_FOUND);
            }
            return path;
        }
        List<Path> directories = new ArrayList<>();
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                directories.add(Path.of(entry));
            }
        }
        return best(directories)
                .or(() -> best(List.of(Path.of("/usr/sbin"))))
                .orElseThrow(() -> new IllegalStateException(NOT_FOUND));
    }

    /** A plain {@code php-fpm} wins; otherwise the highest {@code php-fpmX.Y}. */
    private static Optional<Path> best(List<Path> directories) {
        List<Path> found = new ArrayList<>();
        for (Path directory : directories) {
            try (Stream<Path> files = Files.list(directory)) {
                files.filter(file -> BINARY_NAME.matcher(file.getFileName().toString()).matches())
                        .filter(Files::isExecutable)
                        .forEach(found::add);
            } catch (IOException | UncheckedIOException e) {
                // unreadable or missing PATH entry
            }
        }
        return found.stream().max(Comparator.comparingLong(PhpFpm::rank));
    }

    private static long rank(Path binary) {
        Matcher name = BINARY_NAME.matcher(binary.getFileName().toString());
        if (!name.matches() || name.group(1) == null) {
            return Long.MAX_VALUE;
        }
        return Long.parseLong(name.group(1)) * 1_000_000 + Long.parseLong(name.group(2));
    }

    private static void copyFixtures(Path docroot) throws IOException {
        URL url = PhpFpm.class.getClassLoader().getResource("php");
        if (url == null) {
            throw new IllegalStateException("Test resource folder php/ is not on the classpath");
        }
        URI uri;
        try {
            uri = url.toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Unusable resource URL " + url, e);
        }
        if (!uri.getScheme().equals("jar")) {
            copyTree(Path.of(uri), docroot);
            return;
        }
        // From the test-jar (itest/ depends on it): walk the jar as a file system.
        FileSystem opened = null;
        try {
            opened = FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException alreadyOpen) {
            // someone else's; used as it is, left open
        }
        try {
            copyTree(Path.of(uri), docroot);
        } finally {
            if (opened != null) {
                opened.close();
            }
        }
    }

    private static void copyTree(Path source, Path docroot) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = docroot.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    private static void signal(String signal, long pid) {
        try {
            new ProcessBuilder("kill", signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // best effort: without the freeze, kill() merely races against respawned workers
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitGone(List<ProcessHandle> processes) {
        long deadline = System.currentTimeMillis() + 10_000;
        for (ProcessHandle handle : processes) {
            while (handle.isAlive()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("PHP-FPM process " + handle.pid() + " survived SIGKILL");
                }
                sleep(10);
            }
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for PHP-FPM", e);
        }
    }
}
