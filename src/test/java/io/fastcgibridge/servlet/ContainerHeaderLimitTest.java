package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.AccessLogFile;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import io.fastcgibridge.testing.RawConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bridge as a WAR in a Tomcat the user configured: PHP's headers can be within the bridge's
 * {@code max-headers} yet past the container's own limit (Tomcat's maxHttpResponseHeaderSize,
 * 8 KiB by default). The client then gets a 502, never an empty reply, and the access log says so.
 */
@ExtendWith(PhpFpmExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ContainerHeaderLimitTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Tomcat tomcat;
    private Path baseDir;
    private AccessLogFile log;

    @BeforeAll
    void start(PhpFpm fpm) throws Exception {
        log = new AccessLogFile(Files.createTempFile("container-limit", ".log"));
        Map<String, String> options = Map.of("docroot", fpm.documentRoot().toString(), "fpm", fpm.unixAddress(),
                "access-log", log.path().toString());
        BridgeConfig config = BridgeConfig.from(option -> options.containsKey(option.key())
                ? List.of(options.get(option.key())) : List.of());
        baseDir = Files.createTempDirectory("plain-tomcat");
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", fpm.documentRoot().toString());
        Wrapper servlet = Tomcat.addServlet(context, "fastcgi", new FastCgiServlet(config));
        servlet.setAsyncSupported(true);
        context.addServletMappingDecoded("/", "fastcgi");
        tomcat.start();
    }

    @AfterAll
    void stop() throws Exception {
        tomcat.stop();
        tomcat.destroy();
        try (var files = Files.walk(baseDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        Files.deleteIfExists(log.path());
    }

    @Test
    void headersTheContainerCannotSendAreA502() throws Exception {
        HttpResponse<String> answer = get("/header-flood.php?kib=20");

        assertEquals(502, answer.statusCode());
        assertEquals("502 Bad Gateway\n", answer.body());
        assertEquals("502 16", log.statusAndBytes("GET /header-flood.php?kib=20 HTTP/1.1"));
    }

    @Test
    void headersTooLargeBeforeALongBodyAreA502() throws Exception {
        HttpResponse<String> answer = get("/header-flood.php?kib=20&body=256");

        assertEquals(502, answer.statusCode());
        assertEquals("502 Bad Gateway\n", answer.body());
        assertEquals("502 16", log.statusAndBytes("GET /header-flood.php?kib=20&body=256 HTTP/1.1"));
    }

    @Test
    void headersTooLargeWithAContentLengthAreA502FramedByIt() throws Exception {
        HttpResponse<String> answer = get("/header-flood.php?kib=20&body=1&length=1");

        assertEquals(502, answer.statusCode());
        assertEquals("502 Bad Gateway\n", answer.body());
        assertEquals("502 16", log.statusAndBytes("GET /header-flood.php?kib=20&body=1&length=1 HTTP/1.1"));
    }

    @Test
    void headersTooLargeForAnHttp10ClientAreA502() throws Exception {
        String answer;
        try (RawConnection client = RawConnection.open(tomcat.getConnector().getLocalPort())) {
            client.send("GET /header-flood.php?kib=20&old HTTP/1.0\r\n\r\n");
            answer = client.readAll();
        }

        assertTrue(answer.startsWith("HTTP/1.1 502"), "an empty reply, or: " + answer);
        assertTrue(answer.endsWith("\r\n\r\n502 Bad Gateway\n"), answer);
        assertEquals("502 16", log.statusAndBytes("GET /header-flood.php?kib=20&old HTTP/1.0"));
    }

    @Test
    void headersWithinTheContainersLimitPass() throws Exception {
        HttpResponse<String> answer = get("/header-flood.php?kib=4&length=1");

        assertEquals(200, answer.statusCode());
        assertEquals(1000, answer.headers().firstValue("X-Flood-3").orElseThrow().length());
        assertEquals("end", answer.body());
        assertEquals("200 3", log.statusAndBytes("GET /header-flood.php?kib=4&length=1 HTTP/1.1"));
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + path);
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
