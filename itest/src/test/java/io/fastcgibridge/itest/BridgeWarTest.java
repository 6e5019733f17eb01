package io.fastcgibridge.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmSettings;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bridge as a user deploys it: a WAR with the bridge and Weld Servlet in WEB-INF/lib, the
 * application's CDI observers in WEB-INF/classes, on Tomcat 10.1, in front of a real PHP-FPM. The
 * tests are HTTP clients (the deployment is not testable); what the observers saw comes back through
 * a file the recording observer writes.
 *
 * <p>The test JVM has neither the bridge's main classes nor CDI (the pom removes its provided
 * dependencies from the test class path), so the WAR's class loader is the only one that has them:
 * the bridge's CDI extension is found once, and the maintenance observer, which only exists as a
 * CDI bean of the WAR, proves that requests are dispatched through CDI and not the fallback.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(60)
class BridgeWarTest {

    private static final String WAR_CLASSES = "io/fastcgibridge/itest/war/";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration LOG_WAIT = Duration.ofSeconds(10);

    /** Bridge log lines (System.Logger goes to java.util.logging, one LogManager per JVM). */
    private static final LogCapture BRIDGE_LOG = LogCapture.attach("io.fastcgibridge");

    private static PhpFpm fpm;
    private static Path work;
    private static Path completedLog;
    private static Path accessLog;
    private static Path fpmAccessLog;

    /** The lines the recording observer must have written, in order: one per request sent. */
    private static final List<String> expectedCompletions = new ArrayList<>();

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    @ArquillianResource
    private URL base;

    /**
     * Starts PHP-FPM (the WAR's web.xml needs its document root and socket), then builds the WAR:
     * Weld Servlet's listener first, then the bridge's context listener, then the FastCGI servlet.
     */
    @Deployment(testable = false)
    static WebArchive war() throws IOException {
        work = Files.createTempDirectory("itest");
        completedLog = work.resolve("completed.log");
        accessLog = work.resolve("access.log");
        fpmAccessLog = work.resolve("fpm-access.log");
        fpm = PhpFpm.start(PhpFpmSettings.defaults()
                .withExtraPoolSetting("access.log", fpmAccessLog.toString())
                .withExtraPoolSetting("access.format", "\"%m %{REQUEST_URI}e %s\""));

        List<File> jars = ApplicationWars.warLibraries();
        assertTrue(jars.stream().anyMatch(jar -> jar.getName().startsWith("fastcgi-bridge-")),
                "the bridge's jar is not in the WAR's libraries: " + jars);
        assertTrue(jars.stream().anyMatch(jar -> jar.getName().startsWith("weld-servlet-core-")),
                "Weld Servlet is not in the WAR's libraries: " + jars);
        return ApplicationWars.cdiArchive("bridge.war", webXml(), WAR_CLASSES,
                List.of("MaintenanceObserver", "CompletionRecorder"), jars);
    }

    private static String webXml() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/web-app_6_0.xsd"
                         version="6.0">
                  <context-param>
                    <param-name>itest.completed-log</param-name>
                    <param-value>%s</param-value>
                  </context-param>
                  <listener>
                    <listener-class>org.jboss.weld.environment.servlet.Listener</listener-class>
                  </listener>
                  <listener>
                    <listener-class>io.fastcgibridge.integration.BridgeContextListener</listener-class>
                  </listener>
                  <servlet>
                    <servlet-name>php</servlet-name>
                    <servlet-class>io.fastcgibridge.servlet.FastCgiServlet</servlet-class>
                    <init-param><param-name>docroot</param-name><param-value>%s</param-value></init-param>
                    <init-param><param-name>fpm</param-name><param-value>%s</param-value></init-param>
                    <init-param><param-name>max-connections</param-name><param-value>4</param-value></init-param>
                    <init-param><param-name>read-timeout</param-name><param-value>15s</param-value></init-param>
                    <init-param><param-name>access-log</param-name><param-value>%s</param-value></init-param>
                    <load-on-startup>1</load-on-startup>
                    <async-supported>true</async-supported>
                  </servlet>
                  <servlet-mapping>
                    <servlet-name>php</servlet-name>
                    <url-pattern>/</url-pattern>
                  </servlet-mapping>
                  <!-- Test environment only: the embedded Tomcat's defaults declare Jasper's JSP servlet,
                       and Jasper is not on this class path; a servlet named jsp replaces it. -->
                  <servlet>
                    <servlet-name>jsp</servlet-name>
                    <servlet-class>org.apache.catalina.servlets.DefaultServlet</servlet-class>
                  </servlet>
                </web-app>
                """.formatted(xml(completedLog.toString()), xml(fpm.documentRoot().toString()),
                xml(fpm.unixAddress()), xml(accessLog.toString()));
    }

    @AfterAll
    static void stopPhpFpm() throws IOException {
        if (fpm != null) {
            fpm.stop();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void the_maintenance_observer_answers_503_and_PHP_never_runs() throws Exception {
        Path marker = fpm.documentRoot().resolve("../php-ran.marker").normalize();
        Files.deleteIfExists(marker);

        int before = completedLines().size();
        HttpResponse<String> maintenance = send(get("/touch.php").header("X-Maintenance", "on"));
        assertEquals(503, maintenance.statusCode());
        assertEquals("maintenance\n", maintenance.body());
        expectCompletion(before, "GET", "/touch.php", 503, 12, "VETOED");
        assertFalse(Files.exists(marker), "touch.php ran although the maintenance observer answered");

        // The same request without the header runs PHP, which writes the marker: the marker is a real signal.
        before = completedLines().size();
        HttpResponse<String> normal = send(get("/touch.php"));
        assertEquals(200, normal.statusCode());
        assertEquals("touched", normal.body());
        expectCompletion(before, "GET", "/touch.php", 200, 7, "COMPLETED");
        assertTrue(Files.exists(marker), "touch.php did not write " + marker);

        // PHP-FPM's own access log agrees: it saw touch.php once, the request without the header.
        awaitFpmAccess(line -> line.contains("/touch.php"));
        assertEquals(List.of("GET " + path("/touch.php") + " 200"), fpmAccessLines("/touch.php"));
    }

    @Test
    @Order(2)
    void a_static_file_is_served_with_an_ETag_and_a_conditional_GET_gets_304() throws Exception {
        byte[] file = Files.readAllBytes(fpm.documentRoot().resolve("static/app.js"));

        int before = completedLines().size();
        HttpResponse<byte[]> first = sendBytes(get("/static/app.js"));
        assertEquals(200, first.statusCode());
        assertArrayEquals(file, first.body());
        String etag = first.headers().firstValue("ETag").orElse(null);
        assertNotNull(etag, "no ETag on a static file: " + first.headers().map());
        expectCompletion(before, "GET", "/static/app.js", 200, file.length, "STATIC");

        before = completedLines().size();
        HttpResponse<byte[]> conditional = sendBytes(get("/static/app.js").header("If-None-Match", etag));
        assertEquals(304, conditional.statusCode());
        assertEquals(0, conditional.body().length);
        assertEquals(etag, conditional.headers().firstValue("ETag").orElse(null));
        // The bridge reports no body size for a 304 (EventPipeline: bytesOut -1).
        expectCompletion(before, "GET", "/static/app.js", 304, -1, "STATIC");

        // PHP-FPM was not involved: STATIC above (the static-file listener answered), and nothing in its access log.
        assertEquals(List.of(), fpmAccessLines("/static/"));
    }

    @Test
    @Order(3)
    void a_range_request_gets_206_with_exactly_those_bytes() throws Exception {
        byte[] file = Files.readAllBytes(fpm.documentRoot().resolve("static/app.js"));

        int before = completedLines().size();
        HttpResponse<byte[]> partial = sendBytes(get("/static/app.js").header("Range", "bytes=0-9"));
        assertEquals(206, partial.statusCode());
        assertEquals("bytes 0-9/" + file.length, partial.headers().firstValue("Content-Range").orElse(null));
        assertEquals("10", partial.headers().firstValue("Content-Length").orElse(null));
        assertArrayEquals(Arrays.copyOf(file, 10), partial.body());
        expectCompletion(before, "GET", "/static/app.js", 206, 10, "STATIC");
        assertEquals(List.of(), fpmAccessLines("/static/"));
    }

    @Test
    @Order(4)
    void every_request_yields_exactly_one_completed_event_with_its_status_and_bytes() throws Exception {
        int before = completedLines().size();
        HttpResponse<String> greeting = send(get("/greeter.php"));
        assertEquals(200, greeting.statusCode());
        assertEquals("Hello World", greeting.body());
        expectCompletion(before, "GET", "/greeter.php", 200, 11, "COMPLETED");

        // Nothing more arrives late: every request of this class has exactly one line, in order.
        Thread.sleep(300);
        assertEquals(expectedCompletions, completedLines());

        // The bridge's built-in access-log listener also saw each request once: the extension
        // that adds the built-in listeners is active exactly once.
        assertEquals(expectedCompletions.size(), lines(accessLog).size(),
                "access log: " + lines(accessLog));

        // CDI dispatch, no fallback to the built-in listeners.
        assertEquals(List.of(), BRIDGE_LOG.matching(message -> message.contains("FCGI-0503")
                || message.contains("FCGI-0504")));
        assertFalse(BRIDGE_LOG.matching(message -> message.contains("FCGI-0002")).isEmpty(),
                "the servlet's start line FCGI-0002 was not captured: " + BRIDGE_LOG.all());
    }

    // ---- helpers ----

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(base.toString()).resolve(path.substring(1)))
                .timeout(REQUEST_TIMEOUT)
                .GET();
    }

    /** The path as the container sees it: with the WAR's context path. */
    private String path(String path) {
        String context = base.getPath().endsWith("/") ? base.getPath().substring(0, base.getPath().length() - 1)
                : base.getPath();
        return context + path;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<byte[]> sendBytes(HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Checks the one line the recording observer wrote for the request just answered (the log had
     * {@code before} lines when it was sent), waiting for it: a completion event may be fired just
     * after the client has the whole response. Remembers it for the check of the whole log.
     */
    private void expectCompletion(int before, String method, String path, int status, long bytesOut,
            String outcome) throws InterruptedException {
        String line = method + " " + path(path) + " " + status + " " + bytesOut + " " + outcome;
        expectedCompletions.add(line);
        long deadline = System.nanoTime() + LOG_WAIT.toNanos();
        while (completedLines().size() <= before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<String> lines = completedLines();
        assertEquals(List.of(line), lines.subList(Math.min(before, lines.size()), lines.size()),
                "the completion events of the request just sent");
    }

    private static List<String> completedLines() {
        return lines(completedLog);
    }

    private static List<String> fpmAccessLines(String fragment) {
        return lines(fpmAccessLog).stream().filter(line -> line.contains(fragment)).toList();
    }

    /** PHP-FPM writes its access log line once the script has ended, maybe after the client has the response. */
    private static void awaitFpmAccess(Predicate<String> line) throws InterruptedException {
        long deadline = System.nanoTime() + LOG_WAIT.toNanos();
        while (lines(fpmAccessLog).stream().noneMatch(line) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
