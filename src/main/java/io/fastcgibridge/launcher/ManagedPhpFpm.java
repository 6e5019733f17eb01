package io.fastcgibridge.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The launcher's own PHP-FPM: started with a generated pool config in a private folder, restarted
 * with growing back-off when it dies (the dead master's workers stopped, see {@link OrphanedWorkers}),
 * reloaded gracefully (SIGUSR2: PHP-FPM re-executes in place and keeps its listening socket, so no
 * connection is refused), stopped gracefully (SIGQUIT).
 *
 * <p>Threading: public methods from any thread. Every master is started on the one supervisor
 * thread, which lives until the last master has stopped: {@code --pdeathsig} signals a child when
 * the thread that started it ends, not only when the process does.
 */
final class ManagedPhpFpm implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("io.fastcgibridge.launcher");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** A PHP-FPM that stayed up this long starts the back-off over. */
    private static final Duration STABLE = Duration.ofSeconds(60);

    /** What the launcher does when the manager changes state. */
    interface Listener {
        void started(long pid, String address);

        void stopped(long pid, int exitCode);

        void died(long pid, int exitCode, Integer signal, String logTail);
    }

    private final Path binary;
    private final PhpFpmPoolConfig config;
    private final PhpFpmCommand command;
    private final Listener listener;
    private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "php-fpm-supervisor");
        thread.setDaemon(true);
        return thread;
    });
    private final OrphanedWorkers orphans;
    private Process process;
    private long startedAt;
    private Duration backoff = Duration.ofSeconds(1);
    private boolean stopping;

    private ManagedPhpFpm(Path binary, PhpFpmPoolConfig config, PhpFpmCommand command, Listener listener) {
        this.binary = binary;
        this.config = config;
        this.command = command;
        this.listener = listener;
        this.orphans = new OrphanedWorkers(supervisor, Duration.ofSeconds(config.graceSeconds()));
    }

    /** Writes the config and starts PHP-FPM; returns once it accepts connections. */
    static ManagedPhpFpm start(Path binary, PhpFpmPoolConfig config, Listener listener) throws IOException {
        ManagedPhpFpm manager = new ManagedPhpFpm(binary, config, PhpFpmCommand.detect(), listener);
        try {
            manager.supervisor.submit(() -> {
                manager.launch();
                return null;
            }).get();
        } catch (ExecutionException e) {
            manager.supervisor.shutdownNow();
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            manager.close();
            throw new IOException("interrupted while PHP-FPM started", e);
        }
        return manager;
    }

    /** {@code unix://} and the socket path. */
    String address() {
        return "unix://" + config.socket();
    }

    int children() {
        return config.children();
    }

    synchronized long pid() {
        return process.pid();
    }

    /** Starts a master from the launcher's configuration, written afresh so that a restart undoes any change to it. */
    private synchronized void launch() throws IOException {
        Files.writeString(config.configFile(), config.text());
        Files.deleteIfExists(config.socket());
        process = new ProcessBuilder(command.forMaster(binary, config)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(config.outputFile().toFile()))
                .start();
        startedAt = System.nanoTime();
        Process launched = process;
        awaitReady(launched);
        launched.onExit().thenAccept(this::exited);
        listener.started(launched.pid(), address());
    }

    private void awaitReady(Process launched) throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!launched.isAlive()) {
                throw new IOException("PHP-FPM exited at start with status " + launched.exitValue() + ":\n"
                        + logTail());
            }
            if (accepts()) {
                return;
            }
            sleep(50);
        }
        List<ProcessHandle> group = group(launched);
        launched.destroyForcibly();
        group.forEach(ProcessHandle::destroyForcibly);
        throw new IOException("PHP-FPM did not accept connections within " + READY_TIMEOUT.toSeconds() + " s:\n"
                + logTail());
    }

    private boolean accepts() {
        if (!Files.exists(config.socket())) {
            return false;
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(config.socket()))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void exited(Process ended) {
        int exitCode = ended.exitValue();
        synchronized (this) {
            if (stopping || ended != process) {
                return;
            }
            if (System.nanoTime() - startedAt > STABLE.toNanos()) {
                backoff = Duration.ofSeconds(1);
            }
        }
        orphans.masterDied(new ProcessGroup(ended.pid()));
        Integer signal = exitCode > 128 ? exitCode - 128 : null;
        listener.died(ended.pid(), exitCode, signal, logTail());
        scheduleRestart();
    }

    private synchronized void scheduleRestart() {
        Duration delay = backoff;
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        LOG.log(System.Logger.Level.WARNING, "FCGI-0701 restarting PHP-FPM in {0} ms", Long.toString(delay.toMillis()));
        supervisor.schedule(() -> {
            synchronized (this) {
                if (stopping) {
                    return;
                }
            }
            try {
                launch();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "FCGI-0702 PHP-FPM did not restart: " + e.getMessage());
                scheduleRestart();
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Graceful reload: PHP-FPM re-reads its configuration and replaces its workers, letting those
     * busy finish within the grace period. Returns once the new workers are ready.
     */
    void reload() throws IOException {
        Process current;
        synchronized (this) {
            current = process;
        }
        long readyBefore = readyLines();
        signal("USR2", current.pid());
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (readyLines() <= readyBefore) {
            if (!current.isAlive()) {
                throw new IOException("PHP-FPM (pid " + current.pid() + ") exited during the reload with status "
                        + current.exitValue() + " and is restarted from the launcher's configuration; its log ends:\n"
                        + logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("PHP-FPM did not come back from the reload within "
                        + READY_TIMEOUT.toSeconds() + " s:\n" + logTail());
            }
            sleep(20);
        }
    }

    /**
     * Stops PHP-FPM gracefully (workers get the grace period), kills whatever of it is left after
     * that, old masters' workers included, then removes its folder.
     */
    @Override
    public void close() {
        Process current;
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            current = process;
        }
        if (current == null) {
            supervisor.shutdownNow();
            return;
        }
        List<ProcessHandle> group = group(current);
        int exitCode = stop(current);
        group.forEach(ProcessHandle::destroyForcibly);
        orphans.killAll();
        supervisor.shutdownNow();
        listener.stopped(current.pid(), exitCode);
        deleteQuietly(config.directory());
    }

    /** SIGQUIT, then SIGKILL past the grace period; returns the exit status, or -1. */
    private int stop(Process current) {
        int exitCode = -1;
        if (current.isAlive()) {
            signal("QUIT", current.pid());
            try {
                if (!current.waitFor(config.graceSeconds() + 5L, TimeUnit.SECONDS)) {
                    current.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
                exitCode = current.exitValue();
            } catch (InterruptedException | IllegalThreadStateException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            exitCode = current.exitValue();
        }
        return exitCode;
    }

    /** The master's process group while it runs (PHP-FPM leads one of its own): itself and its workers. */
    private static List<ProcessHandle> group(Process master) {
        return new ProcessGroup(master.pid()).members();
    }

    private long readyLines() {
        try (Stream<String> lines = Files.lines(config.logFile())) {
            return lines.filter(line -> line.contains("ready to handle connections")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The end of PHP-FPM's log, and of what it printed: an error in its configuration is printed,
     * since PHP-FPM cannot know its log file before it has read the configuration.
     */
    String logTail() {
        Optional<String> printed = lastLines(config.outputFile(), 5);
        return lastLines(config.logFile(), 10).orElse("(no PHP-FPM log)")
                + printed.map(text -> "\nit printed:\n" + text).orElse("");
    }

    private static Optional<String> lastLines(Path file, int count) {
        try {
            List<String> lines = Files.readAllLines(file).stream().filter(line -> !line.isBlank()).toList();
            return lines.isEmpty() ? Optional.empty()
                    : Optional.of(String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void signal(String name, long pid) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal PHP-FPM", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder
        }
    }
}
