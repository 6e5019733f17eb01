package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.AccessLogFile;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import io.fastcgibridge.testing.ServeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve}: one id follows each request into PHP ({@code HTTP_X_REQUEST_ID}), the access log,
 * the log line of PHP's stderr and a user's {@code RequestCompletedEvent} observer; a client's safe
 * id is kept, an unsafe one replaced with a log line, a {@code traceparent} reaches PHP unchanged.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(120)
class RequestIdIT {

    private static final String OBSERVER = """
            package trail;

            import io.fastcgibridge.event.RequestCompletedEvent;
            import jakarta.enterprise.context.ApplicationScoped;
            import jakarta.enterprise.event.Observes;

            @ApplicationScoped
            public class Ids {
                void onCompleted(@Observes RequestCompletedEvent event) {
                    System.out.println("observed " + event.request().uri() + " as " + event.request().id());
                }
            }
            """;
    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final String PATH = "/request-id.php";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void oneIdFollowsEachRequestThroughPhpTheAccessLogTheStderrLineAndAnObserver(PhpFpm fpm, @TempDir Path dir)
            throws Exception {
        Path jar = Path.of(System.getProperty("launcher.jar", "target/fastcgi-bridge.jar")).toAbsolutePath();
        AccessLogFile accessLog = new AccessLogFile(dir.resolve("access.log"));
        try (ServeProcess serve = ServeProcess.start(jar, List.of(), List.of("--docroot",
                fpm.documentRoot().toString(), "--fpm", fpm.unixAddress(), "--port", "0", "--classpath",
                compileObserver(dir, jar).toString(), "--access-log", accessLog.path().toString()))) {
            String given = php(serve, "given", Map.of("X-Request-Id", "order-5521.retry_2")).get("HTTP_X_REQUEST_ID");
            String fresh = php(serve, "fresh", Map.of()).get("HTTP_X_REQUEST_ID");
            String replaced = php(serve, "unsafe", Map.of("X-Request-Id", "<script>")).get("HTTP_X_REQUEST_ID");
            Map<String, String> traced = php(serve, "traced",
                    Map.of("traceparent", TRACEPARENT, "tracestate", "congo=t61rcWkgMzE"));

            assertEquals("order-5521.retry_2", given);
            assertTrue(fresh.matches("[0-9a-f]{32}"), fresh);
            assertTrue(replaced.matches("[0-9a-f]{32}"), replaced);
            assertNotEquals(fresh, replaced);
            assertEquals(TRACEPARENT, traced.get("HTTP_TRACEPARENT"));
            assertEquals("congo=t61rcWkgMzE", traced.get("HTTP_TRACESTATE"));
            assertEquals(TRACEPARENT, traced.get("HTTP_X_REQUEST_ID"));
            Map<String, String> ids = Map.of("given", given, "fresh", fresh, "unsafe", replaced, "traced", TRACEPARENT);
            for (Map.Entry<String, String> request : ids.entrySet()) {
                String query = request.getKey();
                String id = request.getValue();
                String line = accessLog.lineFor("GET " + PATH + "?" + query + " HTTP/1.1");
                assertTrue(line.endsWith("\" " + id), line);
                awaitOutput(serve, "FCGI-0300 [" + id + "] GET " + PATH + "?" + query
                        + ": PHP stderr: PHP message: request-id.php ran for " + id);
                awaitOutput(serve, "observed " + PATH + "?" + query + " as " + id);
            }
            awaitOutput(serve, "FCGI-0830 a request's X-Request-Id (8 characters) is not 1 to 128 characters");
            assertTrue(serve.output().stream().noneMatch(line -> line.contains("<script>")), "the unsafe id was logged");
        }
    }

    private Map<String, String> php(ServeProcess serve, String query, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(serve.base() + PATH + "?" + query))
                .timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        Map<String, String> values = new HashMap<>();
        for (String line : response.body().split("\n")) {
            int equals = line.indexOf('=');
            values.put(line.substring(0, equals), line.substring(equals + 1));
        }
        return values;
    }

    private static void awaitOutput(ServeProcess serve, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (serve.output().stream().noneMatch(line -> line.contains(text))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("serve did not print " + text + ":\n" + String.join("\n", serve.output()));
            }
            Thread.sleep(20);
        }
    }

    private static Path compileObserver(Path dir, Path jar) {
        Path source = dir.resolve("src/trail/Ids.java");
        Path classes = dir.resolve("classes");
        try {
            Files.createDirectories(source.getParent());
            Files.writeString(source, OBSERVER);
            Files.createDirectories(classes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-d", classes.toString(), "-cp", jar.toString(), source.toString());
        assertEquals(0, status, "the observer did not compile against the executable jar");
        return classes;
    }
}
