package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs {@code java -jar fastcgi-bridge.jar call} and {@code bench} as a user would, against a real PHP-FPM. */
@ExtendWith(PhpFpmExtension.class)
class ShellCommandsIT {

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result run(String... args) throws Exception {
        Path jar = Path.of(System.getProperty("launcher.jar", "target/fastcgi-bridge.jar"));
        assertTrue(Files.isRegularFile(jar), "build the executable jar first: " + jar);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        String stdout = read(process.getInputStream());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the command did not finish");
        return new Result(process.exitValue(), stdout, stderr.get());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void benchWarmsUpThenReportsItsRateAndTheClientsCpuPerRequest(PhpFpm fpm) throws Exception {
        Result result = run("bench", fpm.unixAddress(), fpm.script("greeter.php"), "--concurrency", "2",
                "--duration", "1s", "--warmup", "1s");

        assertEquals(0, result.exitCode(), result.stdout() + result.stderr());
        java.util.regex.Matcher line = java.util.regex.Pattern.compile(
                "(\\d+) requests in [\\d.]+ s, 0 errors: \\d+ req/s, p50 [\\d.]+ ms, p99 [\\d.]+ ms, client CPU (\\d+) µs/req")
                .matcher(result.stdout());
        assertTrue(line.find(), result.stdout());
        assertTrue(Long.parseLong(line.group(1)) > 0, result.stdout());
        assertTrue(Long.parseLong(line.group(2)) > 0, result.stdout());
    }

    @Test
    void benchRefusesAWarmupThatIsNoDuration(PhpFpm fpm) throws Exception {
        Result result = run("bench", fpm.unixAddress(), fpm.script("greeter.php"), "--warmup", "soon");

        assertEquals(2, result.exitCode());
        assertTrue(result.stderr().startsWith("usage error: --warmup: bad duration 'soon'"), result.stderr());
    }

    @Test
    void callPrintsTheBodyOfAGet(PhpFpm fpm) throws Exception {
        Result result = run("call", fpm.unixAddress(), fpm.script("greeter.php"));

        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("Hello World", result.stdout());
    }

    @Test
    void callPostsFieldsGivenAsNameValue(PhpFpm fpm) throws Exception {
        Result result = run("call", fpm.tcpAddress(), fpm.script("greeter.php"), "who=Shell");

        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("Hello Shell", result.stdout());
    }

    @Test
    void includePrintsStatusLineAndHeadersFirstAndStderrGoesToStderr(PhpFpm fpm) throws Exception {
        Result result = run("call", "--include", fpm.unixAddress(), fpm.script("headers.php"));

        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stdout().startsWith("HTTP/1.1 404 Gone\r\n"), result.stdout());
        assertTrue(result.stdout().contains("\r\nSet-Cookie: b=2\r\n"), result.stdout());
        assertTrue(result.stdout().endsWith("\r\n\r\nbody"), result.stdout());
        assertTrue(result.stderr().contains("headers.php wrote to stderr"), result.stderr());
    }

    @Test
    void aFailureExitsOneWithTheErrorCodeAndMessage(PhpFpm fpm) throws Exception {
        Path missing = fpm.documentRoot().resolve("gone.sock");

        Result result = run("call", missing.toString(), fpm.script("greeter.php"));

        assertEquals(1, result.exitCode());
        assertEquals("", result.stdout());
        assertTrue(result.stderr().startsWith("error 1: no socket at " + missing), result.stderr());
    }

    @Test
    void aBadAddressIsAUsageErrorNamingTheForms() throws Exception {
        Result result = run("call", "nonsense", "/srv/x.php");

        assertEquals(2, result.exitCode());
        assertTrue(result.stderr().contains("bad FastCGI address 'nonsense'"), result.stderr());
    }
}
