package io.fastcgibridge.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code java -jar fastcgi-bridge.jar serve} process as a user starts it: it is running once it
 * has printed {@code listening on http://127.0.0.1:PORT}; its output is kept for assertions and
 * diagnostics. Closing it sends SIGTERM, then SIGKILL after 30 s.
 */
public final class ServeProcess implements AutoCloseable {

    /** The line {@code serve} prints once it accepts connections. */
    public static final Pattern LISTENING = Pattern.compile("^listening on http://127\\.0\\.0\\.1:(\\d+)");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final List<String> output;

    private ServeProcess(Process process, int port, List<String> output) {
        this.process = process;
        this.port = port;
        this.output = output;
    }

    /** {@code java JVM_OPTIONS -jar JAR serve SERVE_ARGS}, waiting until it listens. */
    public static ServeProcess start(Path jar, List<String> jvmOptions, List<String> serveArgs) throws IOException {
        return start(List.of(), jar, jvmOptions, serveArgs);
    }

    /**
     * The same, started through {@code launcher} (such as {@code sh -c 'trap "" HUP; exec "$@"' sh},
     * which must {@code exec} java so that the process is serve itself).
     */
    public static ServeProcess start(List<String> launcher, Path jar, List<String> jvmOptions, List<String> serveArgs)
            throws IOException {
        List<String> command = new ArrayList<>(launcher);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "serve"));
        command.addAll(serveArgs);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
            listening.completeExceptionally(new AssertionError("serve ended without listening"));
        }, "serve-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            return new ServeProcess(process, listening.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS), output);
        } catch (Exception e) {
            new ServeProcess(process, 0, output).close();
            throw new AssertionError("serve did not listen within " + START_TIMEOUT.toSeconds() + " s: " + e
                    + "\n" + String.join("\n", output), e);
        }
    }

    public Process process() {
        return process;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String base() {
        return "http://127.0.0.1:" + port;
    }

    /** Every line printed so far. */
    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** Sends SIGTERM and returns the exit status, or fails after 30 s. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("serve did not stop within 30 s of SIGTERM:\n" + String.join("\n", output()));
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
