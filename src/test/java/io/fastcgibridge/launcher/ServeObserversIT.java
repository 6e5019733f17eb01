package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import io.fastcgibridge.testing.ServeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --classpath}: a user's observer, compiled here against the executable jar as a
 * user would, takes part in every request without any WAR.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(120)
class ServeObserversIT {

    private static final String OBSERVER = """
            package shop;

            import io.fastcgibridge.event.RequestEvent;
            import jakarta.annotation.Priority;
            import jakarta.enterprise.context.ApplicationScoped;
            import jakarta.enterprise.event.Observes;

            @ApplicationScoped
            public class Maintenance {
                void onRequest(@Observes @Priority(10) RequestEvent event) throws java.io.IOException {
                    event.response().addHeader("X-Shop", "open");
                    if (event.request().getRequestURI().startsWith("/touch")
                            && "1".equals(event.request().getParameter("maintenance"))) {
                        event.respond(503, "text/plain", "back soon\\n");
                    }
                }
            }
            """;

    @Test
    void anObserverOnTheClasspathAnswersBeforePhpAndThePidFileAndAccessLogFollowTheServer(PhpFpm fpm,
            @TempDir Path dir) throws Exception {
        Path jar = Path.of(System.getProperty("launcher.jar", "target/fastcgi-bridge.jar")).toAbsolutePath();
        Path classes = compileObserver(dir, jar);
        Path pidFile = dir.resolve("bridge.pid");
        Path accessLog = dir.resolve("access.log");
        Path marker = fpm.documentRoot().resolve("../php-ran.marker").normalize();
        ServeProcess serve = ServeProcess.start(jar, List.of(), List.of("--docroot", fpm.documentRoot().toString(),
                "--fpm", fpm.unixAddress(), "--port", "0", "--classpath", classes.toString(), "--pid-file",
                pidFile.toString(), "--access-log", accessLog.toString()));
        try {
            int port = serve.port();
            assertEquals(Long.toString(serve.process().pid()), Files.readString(pidFile).trim());
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> closed = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/touch.php?maintenance=1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, closed.statusCode());
            assertEquals("back soon\n", closed.body());
            assertFalse(Files.exists(marker), "PHP ran although the observer answered");

            HttpResponse<String> open = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/touch.php")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("touched", open.body());
            assertEquals("open", open.headers().firstValue("X-Shop").orElse(null));
            assertTrue(Files.exists(marker), "PHP did not run for an ordinary request");

            List<String> log = linesOnceThere(accessLog, 2);
            assertEquals(2, log.size(), log.toString());
            assertTrue(log.get(0).matches("127\\.0\\.0\\.1 - - \\[.+] \"GET /touch\\.php\\?maintenance=1 HTTP/1\\.1\" 503 10 .*"),
                    log.get(0));
            assertTrue(log.get(1).contains("\"GET /touch.php HTTP/1.1\" 200 7 "), log.get(1));
            assertEquals(0, serve.stop());
        } finally {
            serve.close();
            Files.deleteIfExists(marker);
        }
        assertFalse(Files.exists(pidFile), "the PID file outlived the server");
    }

    /**
     * The log's lines once it has {@code count} (within 10 s): a line is written once its request
     * has ended, which can be just after the client got the last byte.
     */
    private static List<String> linesOnceThere(Path log, int count) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<String> lines = Files.readAllLines(log);
        while (lines.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
            lines = Files.readAllLines(log);
        }
        return lines;
    }

    private static Path compileObserver(Path dir, Path jar) throws Exception {
        Path source = dir.resolve("src/shop/Maintenance.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, OBSERVER);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-d", classes.toString(), "-cp", jar.toString(), source.toString());
        assertEquals(0, status, "the observer did not compile against the executable jar");
        return classes;
    }
}
