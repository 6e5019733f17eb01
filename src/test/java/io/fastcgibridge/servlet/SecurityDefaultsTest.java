package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The security defaults as a user of the bridge sees them, through embedded Tomcat and a real
 * PHP-FPM: what never reaches PHP, what never runs, what is never served, and what error pages
 * never tell. Requests an HTTP client would refuse to send go over a raw socket.
 */
@ExtendWith(PhpFpmExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityDefaultsTest {

    private static final String SOURCE_MARKER = "SOURCE-MARKER-7f3a";

    private PhpFpm fpm;
    private BridgeServer server;

    @BeforeAll
    void startBridge(PhpFpm fpm) {
        this.fpm = fpm;
        Map<String, List<String>> values = new LinkedHashMap<>();
        values.put(BridgeOption.DOCROOT.key(), List.of(fpm.documentRoot().toString()));
        values.put(BridgeOption.FPM.key(), List.of(fpm.unixAddress()));
        values.put(BridgeOption.DENY.key(), List.of("/data/", "/conf/"));
        server = BridgeServer.start(values);
    }

    @AfterAll
    void stopBridge() {
        if (server != null) {
            server.close();
        }
    }

    // --- request headers ---

    @Test
    void theProxyHeaderNeverReachesPhp() throws Exception {
        Raw response = raw("GET /dump-headers.php HTTP/1.1\r\nHost: localhost\r\nProxy: http://evil.example:8080"
                + "\r\nX-Probe: present");

        assertEquals(200, response.status(), response.text());
        assertTrue(response.body().contains("\"HTTP_X_PROBE\":\"present\""), response.body());
        assertFalse(response.body().contains("HTTP_PROXY"), response.body());
        assertFalse(response.body().contains("evil.example"), response.body());
    }

    @Test
    void aHeaderNameWithAnUnderscoreNeverReachesPhp() throws Exception {
        for (String head : List.of(
                "GET /dump-headers.php HTTP/1.1\r\nHost: localhost\r\nX_Foo: 1\r\nX-Foo: 2",
                "GET /dump-headers.php HTTP/1.1\r\nHost: localhost\r\nX-Foo: 2\r\nX_Foo: 1")) {
            Raw response = raw(head);

            assertEquals(200, response.status(), response.text());
            assertTrue(response.body().contains("\"HTTP_X_FOO\":\"2\""), response.body());
            assertFalse(response.body().contains(":\"1\""), "the X_Foo value reached PHP: " + response.body());
            assertFalse(response.body().contains("1, 2") || response.body().contains("2, 1"), response.body());
        }
    }

    // --- control characters and dot segments in the path ---

    @ParameterizedTest
    @ValueSource(strings = {"/greeter.php%0a", "/greeter.php/%0a/x", "/greeter.php%0d", "/greeter.php%0d%0aX-Injected:%201",
            "/static/site.css%0a"})
    void aLineBreakInThePathIsRefused(String path) throws Exception {
        Raw response = raw("GET " + path + " HTTP/1.1\r\nHost: localhost");

        assertTrue(response.status() == 400 || response.status() == 404, response.text());
        assertFalse(response.body().contains("Hello"), response.text());
        assertFalse(response.text().contains("X-Injected"), response.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/greeter.php%00", "/greeter.php%00.jpg", "/uploads/evil.jpg%00.php", "/greeter.php/%00/x"})
    void aNulInThePathIsRefused(String path) throws Exception {
        Raw response = raw("GET " + path + " HTTP/1.1\r\nHost: localhost");

        assertClientError(response);
        assertFalse(response.body().contains("Hello"), response.text());
        assertFalse(response.body().contains("EXECUTED-EVIL"), response.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2f..%2fetc/passwd",
            "/static/../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%5c..%5cetc/passwd",
            "/static/..%252f..%252f..%252fetc/passwd", "/%2e%2e%2f%2e%2e%2fetc/passwd", "//etc/passwd"})
    void dotDotNeverEscapesTheDocumentRoot(String path) throws Exception {
        Raw response = raw("GET " + path + " HTTP/1.1\r\nHost: localhost");

        assertNotEquals(200, response.status(), response.text());
        assertFalse(response.text().contains("root:x:"), response.text());
        assertFalse(response.text().contains("root:"), response.text());
    }

    // --- what never runs ---

    @Test
    void anUploadNeverRunsThroughAFakeScriptSuffix() throws Exception {
        for (String path : List.of("/uploads/evil.jpg/x.php", "/uploads/evil.jpg/.php", "/uploads/evil.jpg/x.php/y")) {
            HttpResponse<String> response = server.get(path);

            assertEquals(404, response.statusCode(), path);
            assertFalse(response.body().contains("EXECUTED-EVIL"), path + ": " + response.body());
        }
    }

    @Test
    void anUploadedImageIsServedAsItsBytesNeverRun() throws Exception {
        byte[] file = Files.readAllBytes(fpm.documentRoot().resolve("uploads/evil.jpg"));

        HttpResponse<byte[]> response = server.http().send(server.request("/uploads/evil.jpg").build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertFalse(new String(response.body(), StandardCharsets.ISO_8859_1).equals("EXECUTED-EVIL"));
        if (response.statusCode() == 200) {
            assertArrayEquals(file, response.body(), "not the file's own bytes");
            assertEquals("image/jpeg", response.headers().firstValue("Content-Type").orElse(""));
        } else {
            assertEquals(404, response.statusCode());
        }
    }

    // --- PHP source is never served ---

    @Test
    void theScriptRuns() throws Exception {
        HttpResponse<String> response = server.get("/secret.php");

        assertEquals(200, response.statusCode());
        assertEquals("secret ran", response.body());
    }

    @Test
    void anEncodedLetterStillNamesTheScriptAndRunsIt() throws Exception {
        HttpResponse<String> response = server.get("/secret.p%68p");

        assertEquals(200, response.statusCode());
        assertEquals("secret ran", response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/SECRET.PHP", "/secret.php.", "/secret.php%20", "/secret.PHP", "/secret.Php",
            "/secret.%EF%BD%90%EF%BD%88%EF%BD%90", "/secret.php%2e", "/secret.php..", "/secret.php::$DATA",
            "/secret.php%3a%3a$DATA", "/secret.php~", "/secret.php.bak", "/secret.phps"})
    void scriptSourceIsNeverServed(String path) throws Exception {
        Raw response = raw("GET " + path + " HTTP/1.1\r\nHost: localhost");

        assertFalse(response.text().contains(SOURCE_MARKER), response.text());
        assertNotEquals(200, response.status(), response.text());
        assertClientError(response);
    }

    // --- what is never served ---

    @Test
    void dotFilesAreNeverServed() throws Exception {
        for (String path : List.of("/.env", "/.env/", "/static/../.env", "/%2eenv")) {
            Raw response = raw("GET " + path + " HTTP/1.1\r\nHost: localhost");

            assertClientError(response);
            assertFalse(response.text().contains("hunter2"), path + ": " + response.text());
        }
        assertEquals(404, server.get("/.env").statusCode());
    }

    @Test
    void deniedPrefixesAreNotFound() throws Exception {
        for (String path : List.of("/data/private.txt", "/conf/settings.ini", "/data/", "/DATA/private.txt", "/conf/")) {
            HttpResponse<String> response = server.get(path);

            assertEquals(404, response.statusCode(), path);
            assertFalse(response.body().contains("PRIVATE-DATA"), path + ": " + response.body());
            assertFalse(response.body().contains("hunter2"), path + ": " + response.body());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"//data/private.txt", "/data//private.txt", "/./data/private.txt", "/static/../data/private.txt",
            "/data;x=1/private.txt", "/%64ata/private.txt", "/data%2fprivate.txt", "/static/..%2fdata/private.txt",
            "///conf/settings.ini", "/conf;/settings.ini", "/c%6fnf/settings.ini"})
    void deniedPrefixesCannotBeDodged(String path) throws Exception {
        Raw response = raw("GET " + path + " HTTP/1.1\r\nHost: localhost");

        assertFalse(response.text().contains("PRIVATE-DATA"), response.text());
        assertFalse(response.text().contains("hunter2"), response.text());
        assertClientError(response);
    }

    @Test
    void aDirectoryIsNeverListed() throws Exception {
        HttpResponse<String> listing = server.get("/static/");
        assertEquals(404, listing.statusCode());
        assertFalse(listing.body().contains("site.css"), listing.body());

        HttpResponse<String> redirect = server.get("/static");
        assertEquals(301, redirect.statusCode());
        assertEquals("/static/", redirect.headers().firstValue("Location").map(SecurityDefaultsTest::pathOf).orElse(""));
    }

    // --- static files ---

    @Test
    void staticCssIsServedAsCssAndRevalidates() throws Exception {
        HttpResponse<String> first = server.get("/static/site.css");

        assertEquals(200, first.statusCode());
        assertEquals("body{color:#123}", first.body());
        assertTrue(first.headers().firstValue("Content-Type").orElse("").startsWith("text/css"), first.headers().map()
                .toString());
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> second = server.http().send(server.request("/static/site.css")
                .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(304, second.statusCode());
        assertEquals("", second.body());
    }

    // --- error pages ---

    @Test
    void aBadGatewayTellsNothingAboutTheBackend(@TempDir Path temp) throws Exception {
        Path socket = temp.resolve("missing.sock");
        Map<String, List<String>> values = new LinkedHashMap<>();
        values.put(BridgeOption.DOCROOT.key(), List.of(fpm.documentRoot().toString()));
        values.put(BridgeOption.FPM.key(), List.of("unix://" + socket));
        try (BridgeServer broken = BridgeServer.start(values)) {
            HttpResponse<String> response = broken.get("/greeter.php");

            assertEquals(502, response.statusCode(), response.body());
            String body = response.body();
            assertFalse(body.contains(socket.toString()), body);
            assertFalse(body.contains("missing.sock"), body);
            assertFalse(body.contains("Exception"), body);
            assertFalse(body.contains("FastCGI"), body);
            assertFalse(body.contains("Tomcat"), body);
            assertFalse(response.headers().map().toString().contains("missing.sock"), response.headers().map().toString());
        }
    }

    @Test
    void notFoundAndBadRequestPagesTellNothingEither() throws Exception {
        for (String path : List.of("/nothing-here", "/greeter.php%0a", "/../etc/passwd", "/data/private.txt")) {
            Raw response = raw("GET " + path + " HTTP/1.1\r\nHost: localhost");

            assertClientError(response);
            for (String internal : List.of("Exception", "Tomcat", "FastCGI", "at org.", "at io.",
                    fpm.documentRoot().toString())) {
                assertFalse(response.body().contains(internal), path + ": " + response.text());
            }
        }
    }

    // --- helpers ---

    private Raw raw(String head) throws Exception {
        return Raw.parse(server.raw(head, new byte[0]));
    }

    private static void assertClientError(Raw response) {
        assertTrue(response.status() >= 400 && response.status() < 500, "expected a 4xx: " + response.text());
    }

    private static String pathOf(String location) {
        return location.startsWith("http") ? java.net.URI.create(location).getRawPath() : location;
    }

    /** A raw HTTP/1.1 response: status, lower-cased headers, and the body with any chunking undone. */
    private record Raw(String text, int status, Map<String, String> headers, String body) {

        static Raw parse(String text) {
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String rest = end < 0 ? "" : text.substring(end + 4);
            String[] lines = head.split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
                }
            }
            String body = "chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", "")) ? unchunk(rest) : rest;
            return new Raw(text, status, headers, body);
        }

        private static String unchunk(String chunked) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int at = 0;
            while (at < chunked.length()) {
                int lineEnd = chunked.indexOf("\r\n", at);
                if (lineEnd < 0) {
                    break;
                }
                String sizeText = chunked.substring(at, lineEnd).split(";", 2)[0].trim();
                int size = Integer.parseInt(sizeText, 16);
                if (size == 0) {
                    break;
                }
                int start = lineEnd + 2;
                out.writeBytes(chunked.substring(start, Math.min(start + size, chunked.length()))
                        .getBytes(StandardCharsets.ISO_8859_1));
                at = start + size + 2;
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
