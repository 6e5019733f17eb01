package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Static files as a client sees them through embedded Tomcat and a real PHP-FPM's document root:
 * methods, content types, revalidation, byte ranges, precompressed siblings and large bodies.
 */
@ExtendWith(PhpFpmExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StaticResourcesTest {

    /** Marker bytes standing in for Brotli output, which the JDK cannot make. */
    private static final byte[] BROTLI_MARKER = "BROTLI-MARKER-\u0000\u00ff-42".getBytes(StandardCharsets.ISO_8859_1);

    private BridgeServer server;
    private byte[] page;
    private byte[] pageGz;
    private byte[] big;
    private byte[] digits;

    @BeforeAll
    void start(PhpFpm fpm) throws IOException {
        Path dir = fpm.documentRoot().resolve("static");
        page = Files.readAllBytes(dir.resolve("page.html"));
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(page);
        }
        pageGz = compressed.toByteArray();
        Files.write(dir.resolve("page.html.gz"), pageGz);
        Files.write(dir.resolve("page.html.br"), BROTLI_MARKER);
        big = new byte[200 * 1024];
        new Random(20240601L).nextBytes(big);
        Files.write(dir.resolve("big.bin"), big);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            text.append((char) ('0' + i % 10));
        }
        digits = text.toString().getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("digits.txt"), digits);
        server = BridgeServer.start(fpm, Map.of());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    // --- methods ---

    @Test
    void getServesTheFileWithItsValidators() throws Exception {
        HttpResponse<String> response = server.get("/static/site.css");

        assertEquals(200, response.statusCode());
        assertEquals("body{color:#123}", response.body());
        assertEquals("16", header(response, "Content-Length"));
        assertEquals("bytes", header(response, "Accept-Ranges"));
        assertTrue(header(response, "ETag").matches("\"[0-9a-f]+-[0-9a-f]+\""), header(response, "ETag"));
        assertFalse(header(response, "Last-Modified").isEmpty());
        assertEquals("", header(response, "Vary"), "no sibling, nothing varies");
        assertEquals("", header(response, "Cache-Control"), "no rule configured");
    }

    @Test
    void headSendsTheHeadersOfGetWithoutABody() throws Exception {
        HttpResponse<String> get = server.get("/static/app.js");
        HttpResponse<String> head = send(server.request("/static/app.js").method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals(header(get, "Content-Length"), header(head, "Content-Length"));
        assertEquals(header(get, "Content-Type"), header(head, "Content-Type"));
        assertEquals(header(get, "ETag"), header(head, "ETag"));
    }

    @Test
    void optionsAnswersWhatIsAllowed() throws Exception {
        HttpResponse<String> response = send(server.request("/static/site.css")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

        assertEquals(200, response.statusCode());
        assertEquals("GET, HEAD, OPTIONS", header(response, "Allow"));
        assertEquals("", response.body());
    }

    @Test
    void otherMethodsAreNotAllowed() throws Exception {
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
            HttpResponse<String> response = send(server.request("/static/site.css")
                    .method(method, HttpRequest.BodyPublishers.ofString("x=1")));

            assertEquals(405, response.statusCode(), method);
            assertEquals("GET, HEAD, OPTIONS", header(response, "Allow"), method);
            assertFalse(response.body().contains("color"), method);
        }
    }

    // --- content types ---

    @ParameterizedTest
    @CsvSource({"/static/site.css, text/css;charset=utf-8", "/static/app.js, text/javascript;charset=utf-8",
            "/static/page.html, text/html;charset=utf-8", "/static/logo.svg, image/svg+xml",
            "/static/big.bin, application/octet-stream", "/uploads/evil.jpg, image/jpeg"})
    void theContentTypeFollowsTheExtension(String path, String type) throws Exception {
        HttpResponse<byte[]> response = bytes(server.request(path));

        assertEquals(200, response.statusCode(), path);
        assertEquals(type, header(response, "Content-Type").replace(" ", "").toLowerCase(), path);
    }

    // --- conditional requests ---

    @Test
    void aMatchingEntityTagGetsNotModifiedWithValidatorsButNoBody() throws Exception {
        HttpResponse<String> first = server.get("/static/app.js");
        String etag = header(first, "ETag");

        for (String ifNoneMatch : new String[] {etag, "\"other\", " + etag, "W/" + etag, "*"}) {
            HttpResponse<String> second = send(server.request("/static/app.js").header("If-None-Match", ifNoneMatch));

            assertEquals(304, second.statusCode(), ifNoneMatch);
            assertEquals("", second.body());
            assertEquals(etag, header(second, "ETag"));
            assertEquals(header(first, "Last-Modified"), header(second, "Last-Modified"));
            assertEquals("", header(second, "Content-Length"));
        }
        HttpResponse<String> changed = send(server.request("/static/app.js").header("If-None-Match", "\"other\""));
        assertEquals(200, changed.statusCode());
    }

    @Test
    void aDateRevalidatesOnlyWithoutAnEntityTag() throws Exception {
        HttpResponse<String> first = server.get("/static/app.js");
        String lastModified = header(first, "Last-Modified");
        String earlier = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusYears(30));

        assertEquals(304, send(server.request("/static/app.js").header("If-Modified-Since", lastModified)).statusCode());
        assertEquals(200, send(server.request("/static/app.js").header("If-Modified-Since", earlier)).statusCode());
        assertEquals(200, send(server.request("/static/app.js").header("If-Modified-Since", "not a date")).statusCode());
        assertEquals(200, send(server.request("/static/app.js").header("If-Modified-Since", lastModified)
                .header("If-None-Match", "\"other\"")).statusCode(), "If-None-Match decides, not the date");
    }

    @Test
    void failedPreconditionsAnswer412() throws Exception {
        String etag = header(server.get("/static/app.js"), "ETag");
        String earlier = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusYears(30));

        assertEquals(412, send(server.request("/static/app.js").header("If-Match", "\"other\"")).statusCode());
        assertEquals(412, send(server.request("/static/app.js").header("If-Match", "W/" + etag)).statusCode(),
                "If-Match compares strongly");
        assertEquals(412, send(server.request("/static/app.js").header("If-Unmodified-Since", earlier)).statusCode());
        assertEquals(200, send(server.request("/static/app.js").header("If-Match", etag)).statusCode());
        assertEquals(200, send(server.request("/static/app.js").header("If-Match", "*")).statusCode());
    }

    // --- byte ranges ---

    @ParameterizedTest
    @CsvSource({"bytes=0-99, 0, 99", "bytes=100-, 100, 999", "bytes=-100, 900, 999", "bytes=990-5000, 990, 999",
            "'bytes=0-9,5-19', 0, 19"})
    void aSingleRangeGetsPartialContent(String range, int first, int last) throws Exception {
        HttpResponse<byte[]> response = bytes(server.request("/static/digits.txt").header("Range", range));

        assertEquals(206, response.statusCode(), range);
        assertEquals("bytes " + first + "-" + last + "/1000", header(response, "Content-Range"));
        assertEquals(String.valueOf(last - first + 1), header(response, "Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(digits, first, last + 1), response.body());
        assertTrue(header(response, "Content-Type").startsWith("text/plain"));
    }

    @Test
    void anUnsatisfiableRangeGets416() throws Exception {
        HttpResponse<String> response = send(server.request("/static/digits.txt").header("Range", "bytes=1000-"));

        assertEquals(416, response.statusCode());
        assertEquals("bytes */1000", header(response, "Content-Range"));
        assertFalse(response.body().contains("0123456789"));
    }

    @Test
    void severalRangesThatStayApartGetTheWholeFile() throws Exception {
        HttpResponse<byte[]> response = bytes(server.request("/static/digits.txt").header("Range", "bytes=0-9,500-509"));

        assertEquals(200, response.statusCode());
        assertArrayEquals(digits, response.body());
    }

    @Test
    void aMalformedRangeIsIgnored() throws Exception {
        for (String range : new String[] {"bytes=abc", "bytes=9-5", "items=0-5", "bytes"}) {
            HttpResponse<byte[]> response = bytes(server.request("/static/digits.txt").header("Range", range));

            assertEquals(200, response.statusCode(), range);
            assertArrayEquals(digits, response.body(), range);
        }
    }

    @Test
    void ifRangeHonoursTheRangeOnlyWhileTheValidatorStillMatches() throws Exception {
        HttpResponse<String> first = server.get("/static/digits.txt");
        String etag = header(first, "ETag");
        String lastModified = header(first, "Last-Modified");
        String earlier = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusYears(30));

        assertEquals(206, ranged("/static/digits.txt", etag).statusCode());
        assertEquals(206, ranged("/static/digits.txt", lastModified).statusCode());
        for (String stale : new String[] {"\"other\"", "W/" + etag, earlier}) {
            HttpResponse<byte[]> response = ranged("/static/digits.txt", stale);

            assertEquals(200, response.statusCode(), stale);
            assertArrayEquals(digits, response.body(), stale);
        }
    }

    @Test
    void headIgnoresTheRange() throws Exception {
        HttpResponse<String> response = send(server.request("/static/digits.txt").header("Range", "bytes=0-9")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertEquals(200, response.statusCode());
        assertEquals("1000", header(response, "Content-Length"));
    }

    // --- precompressed siblings ---

    @Test
    void gzipIsServedFromTheSiblingWhenAccepted() throws Exception {
        HttpResponse<byte[]> response = bytes(server.request("/static/page.html").header("Accept-Encoding", "gzip, deflate"));

        assertEquals(200, response.statusCode());
        assertEquals("gzip", header(response, "Content-Encoding"));
        assertEquals("Accept-Encoding", header(response, "Vary"));
        assertTrue(header(response, "Content-Type").startsWith("text/html"));
        assertEquals(String.valueOf(pageGz.length), header(response, "Content-Length"));
        assertTrue(header(response, "ETag").endsWith("-gz\""), header(response, "ETag"));
        assertArrayEquals(page, new GZIPInputStream(new ByteArrayInputStream(response.body())).readAllBytes());
    }

    @Test
    void brotliIsPreferredWhenAcceptedAsWell() throws Exception {
        for (String accept : new String[] {"br", "gzip, deflate, br", "br;q=0.5, gzip;q=0.5", "*"}) {
            HttpResponse<byte[]> response = bytes(server.request("/static/page.html").header("Accept-Encoding", accept));

            assertEquals(200, response.statusCode(), accept);
            assertEquals("br", header(response, "Content-Encoding"), accept);
            assertEquals("Accept-Encoding", header(response, "Vary"), accept);
            assertTrue(header(response, "ETag").endsWith("-br\""), header(response, "ETag"));
            assertTrue(header(response, "Content-Type").startsWith("text/html"), accept);
            assertArrayEquals(BROTLI_MARKER, response.body(), accept);
        }
    }

    @Test
    void aCodingRefusedOrLessWantedIsNotServed() throws Exception {
        HttpResponse<byte[]> gzip = bytes(server.request("/static/page.html").header("Accept-Encoding", "br;q=0, gzip"));
        assertEquals("gzip", header(gzip, "Content-Encoding"));
        HttpResponse<byte[]> preferred = bytes(server.request("/static/page.html")
                .header("Accept-Encoding", "br;q=0.2, gzip;q=0.8"));
        assertEquals("gzip", header(preferred, "Content-Encoding"));

        for (String accept : new String[] {null, "identity", "deflate", "br;q=0, gzip;q=0", "*;q=0", "gzip;q=x"}) {
            HttpRequest.Builder request = server.request("/static/page.html");
            if (accept != null) {
                request.header("Accept-Encoding", accept);
            }
            HttpResponse<byte[]> response = bytes(request);

            assertEquals(200, response.statusCode(), accept);
            assertEquals("", header(response, "Content-Encoding"), accept);
            assertEquals("Accept-Encoding", header(response, "Vary"), accept);
            assertArrayEquals(page, response.body(), accept);
        }
    }

    @Test
    void eachEncodingHasItsOwnEntityTag() throws Exception {
        String identity = header(bytes(server.request("/static/page.html")), "ETag");
        String gzip = header(bytes(server.request("/static/page.html").header("Accept-Encoding", "gzip")), "ETag");

        assertNotEquals(identity, gzip);
        HttpResponse<byte[]> stale = bytes(server.request("/static/page.html").header("If-None-Match", gzip));
        assertEquals(200, stale.statusCode(), "the gzip tag does not validate the plain file");
        HttpResponse<byte[]> fresh = bytes(server.request("/static/page.html").header("Accept-Encoding", "gzip")
                .header("If-None-Match", gzip));
        assertEquals(304, fresh.statusCode());
        assertEquals("Accept-Encoding", header(fresh, "Vary"));
    }

    @Test
    void aRangeAppliesToTheCompressedBytes() throws Exception {
        HttpResponse<byte[]> response = bytes(server.request("/static/page.html").header("Accept-Encoding", "gzip")
                .header("Range", "bytes=0-9"));

        assertEquals(206, response.statusCode());
        assertEquals("gzip", header(response, "Content-Encoding"));
        assertEquals("bytes 0-9/" + pageGz.length, header(response, "Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(pageGz, 0, 10), response.body());
    }

    // --- large files ---

    @Test
    void aLargeFileArrivesIntact() throws Exception {
        HttpResponse<byte[]> response = bytes(server.request("/static/big.bin"));

        assertEquals(200, response.statusCode());
        assertEquals(String.valueOf(big.length), header(response, "Content-Length"));
        assertArrayEquals(big, response.body());
    }

    @ParameterizedTest
    @CsvSource({"1000, 150999", "0, 49151", "100, 199", "204700, 204799"})
    void aRangeOfALargeFileArrivesIntact(int first, int last) throws Exception {
        HttpResponse<byte[]> response = bytes(server.request("/static/big.bin").header("Range", "bytes=" + first + "-" + last));

        assertEquals(206, response.statusCode());
        assertEquals("bytes " + first + "-" + last + "/" + big.length, header(response, "Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(big, first, last + 1), response.body());
    }

    @Test
    void aLargeFileArrivesIntactRepeatedlyOnAKeptConnection() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> whole = bytes(server.request("/static/big.bin"));
            HttpResponse<byte[]> tail = bytes(server.request("/static/big.bin").header("Range", "bytes=-60000"));

            assertArrayEquals(big, whole.body());
            assertArrayEquals(Arrays.copyOfRange(big, big.length - 60000, big.length), tail.body());
        }
    }

    // --- helpers ---

    private HttpResponse<byte[]> ranged(String path, String ifRange) throws Exception {
        return bytes(server.request(path).header("Range", "bytes=0-9").header("If-Range", ifRange));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return server.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> bytes(HttpRequest.Builder request) throws Exception {
        return server.http().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse("");
    }
}
