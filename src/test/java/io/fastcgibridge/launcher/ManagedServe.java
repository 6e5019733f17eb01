package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.ServeProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.tools.ToolProvider;

/**
 * A {@code java -jar fastcgi-bridge.jar serve} process without {@code --fpm}, with an observer
 * compiled here against the jar (as a user would) that writes one line per launcher event to
 * {@code events.txt}. Closing it stops the process and kills any PHP-FPM it leaves behind.
 * Used by {@link ManagedPhpFpmIT} and {@link LifecycleIT}.
 */
final class ManagedServe implements AutoCloseable {

    static final Path JAR = Path.of(System.getProperty("launcher.jar", "target/fastcgi-bridge.jar")).toAbsolutePath();

    private static final String RECORDER = """
            package recorder;

            import io.fastcgibridge.event.AfterReloadEvent;
            import io.fastcgibridge.event.BeforeReloadEvent;
            import io.fastcgibridge.event.ManagerStartEvent;
            import io.fastcgibridge.event.ManagerStopEvent;
            import io.fastcgibridge.event.ServerShutdownEvent;
            import io.fastcgibridge.event.ServerStartEvent;
            import io.fastcgibridge.event.WorkerErrorEvent;
            import jakarta.enterprise.context.ApplicationScoped;
            import jakarta.enterprise.event.Observes;
            import java.io.IOException;
            import java.io.UncheckedIOException;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.nio.file.StandardOpenOption;

            @ApplicationScoped
            public class EventRecorder {
                void managerStart(@Observes ManagerStartEvent event) {
                    record("manager-start " + event.pid() + " " + event.address());
                }

                void managerStop(@Observes ManagerStopEvent event) {
                    record("manager-stop " + event.pid() + " " + event.exitCode());
                }

                void workerError(@Observes WorkerErrorEvent event) {
                    if (event.failure() instanceof WorkerErrorEvent.ProcessExited exited) {
                        record("worker-error PROCESS_EXITED " + exited.exitCode() + " "
                                + (exited.signal() == null ? "-" : exited.signal()));
                    } else if (event.failure() instanceof WorkerErrorEvent.RequestFailed failed) {
                        record("worker-error " + failed.code() + " - -");
                    }
                }

                void beforeReload(@Observes BeforeReloadEvent event) {
                    record("before-reload " + event.reason());
                }

                void afterReload(@Observes AfterReloadEvent event) {
                    record("after-reload " + event.reason() + " " + event.succeeded());
                }

                void serverStart(@Observes ServerStartEvent event) {
                    record("server-start");
                }

                void serverShutdown(@Observes ServerShutdownEvent event) {
                    record("server-shutdown");
                }

                private static synchronized void record(String line) {
                    try {
                        Files.writeString(Path.of(System.getProperty("events.file")), line + "\\n",
                                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            """;

    private final ServeProcess serve;
    private final Process process;
    private final int port;
    private final Path eventsFile;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ManagedServe(ServeProcess serve, Path eventsFile) {
        this.serve = serve;
        this.process = serve.process();
        this.port = serve.port();
        this.eventsFile = eventsFile;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code serve --docroot DOCROOT --port 0} plus {@code options}; returns once it listens. */
    static ManagedServe start(Path dir, Path docroot, String... options) throws Exception {
        return start(List.of(), dir, docroot, options);
    }

    /** The same, started through {@code launcher} (see {@link ServeProcess#start(List, Path, List, List)}). */
    static ManagedServe start(List<String> launcher, Path dir, Path docroot, String... options) throws Exception {
        Path classes = compileRecorder(dir);
        Path eventsFile = dir.resolve("events.txt");
        List<String> args = new ArrayList<>(List.of("--docroot", docroot.toString(), "--port", "0",
                "--classpath", classes.toString()));
        args.addAll(Arrays.asList(options));
        ServeProcess serve = ServeProcess.start(launcher, JAR, List.of("-Devents.file=" + eventsFile), args);
        return new ManagedServe(serve, eventsFile);
    }

    /** How a short-lived process ended, and what it printed (stdout and stderr). */
    record Ran(int status, String output) {
    }

    /**
     * Runs a command to its end, for at most {@code timeout}; its output goes through the file
     * {@code log}, not a pipe, so none of it is lost when the process exits.
     */
    static Ran run(ProcessBuilder builder, Path log, Duration timeout) throws Exception {
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS), String.join(" ", builder.command())
                    + " did not end within " + timeout.toSeconds() + " s:\n" + Files.readString(log));
            return new Ran(process.exitValue(), Files.readString(log));
        } finally {
            process.destroyForcibly();
        }
    }

    /** Runs {@code reload --pid-file F}, through {@code launcher} (such as setpriv) when not empty. */
    static Ran runReload(List<String> launcher, Path pidFile) throws Exception {
        Path log = Files.createTempFile(pidFile.getParent(), "reload", ".out");
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(java(), "-jar", JAR.toString(), "reload", "--pid-file", pidFile.toString()));
        return run(new ProcessBuilder(command), log, Duration.ofSeconds(90));
    }

    private static Path compileRecorder(Path dir) throws IOException {
        Path source = dir.resolve("recorder-src/recorder/EventRecorder.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, RECORDER);
        Path classes = Files.createDirectories(dir.resolve("recorder-classes"));
        int status = ToolProvider.getSystemJavaCompiler().run(null, null, null,
                "-d", classes.toString(), "-cp", JAR.toString(), source.toString());
        assertEquals(0, status, "the event recorder did not compile against the executable jar");
        return classes;
    }

    Process process() {
        return process;
    }

    int port() {
        return port;
    }

    HttpClient http() {
        return http;
    }

    HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15)).build();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    /** The complete lines of the events file so far. */
    List<String> events() throws IOException {
        if (!Files.exists(eventsFile)) {
            return List.of();
        }
        String text = Files.readString(eventsFile);
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        lines.remove(lines.size() - 1); // empty, or a line still being written
        return lines;
    }

    /** Polls the events file until {@code done} holds; returns the lines either way, after at most {@code timeout}. */
    List<String> awaitEvents(Predicate<List<String>> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> lines = events();
        while (!done.test(lines) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            lines = events();
        }
        return lines;
    }

    /** The pids of every {@code manager-start} so far, in order. */
    List<Long> managerPids() throws IOException {
        return events().stream().filter(l -> l.startsWith("manager-start "))
                .map(l -> Long.parseLong(l.split(" ")[1])).toList();
    }

    String diagnostics() {
        String events;
        try {
            events = String.join("\n", events());
        } catch (IOException e) {
            events = e.toString();
        }
        return "serve output:\n" + String.join("\n", serve.output()) + "\nevents:\n" + events;
    }

    /** SIGTERM (SIGKILL after 30 s); then kills whatever PHP-FPM it started that is still running. */
    @Override
    public void close() throws Exception {
        List<ProcessHandle> children = process.toHandle().descendants().toList();
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            child.destroyForcibly();
        }
        for (long pid : managerPids()) {
            ProcessHandle.of(pid).filter(p -> p.info().command().orElse("").contains("php-fpm"))
                    .ifPresent(master -> {
                        master.descendants().forEach(ProcessHandle::destroyForcibly);
                        master.destroyForcibly();
                    });
        }
    }
}
