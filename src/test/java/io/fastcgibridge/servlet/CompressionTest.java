package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * gzip as a browser sees it, through embedded Tomcat and a real PHP-FPM: text from PHP and static
 * files compressed by default for clients that take it, streams still streaming, and everything
 * that must stay as it is left alone.
 */
@ExtendWith(PhpFpmExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class CompressionTest {

    private BridgeServer server;
    private byte[] stylesheet;

    @BeforeAll
    void start(PhpFpm fpm) throws IOException {
        stylesheet = ".jack { content: 'All work and no play'; }\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(fpm.documentRoot().resolve("static/jack.css"), stylesheet);
        Files.write(fpm.documentRoot().resolve("static/packed.html"), "<p>plain</p>\n".repeat(100)
                .getBytes(StandardCharsets.UTF_8));
        Files.write(fpm.documentRoot().resolve("static/packed.html.gz"), gzipMarker());
        server = BridgeServer.start(fpm, Map.of());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void aLongTextResponseFromPhpIsGzippedForAClientThatTakesIt() throws Exception {
        HttpResponse<byte[]> response = get("/compress.php?n=5000", "gzip, deflate, br");

        assertEquals("gzip", response.headers().firstValue("Content-Encoding").orElse(null));
        assertTrue(response.headers().allValues("Vary").toString().contains("Accept-Encoding"),
                response.headers().toString());
        assertTrue(response.body().length < 1000, "5000 repetitive bytes became " + response.body().length);
        assertEquals(jack(5000), gunzip(response.body()));
    }

    @Test
    void phpsContentLengthIsReplacedAndItsStrongEtagMadeWeak() throws Exception {
        HttpResponse<byte[]> response = get("/compress.php?n=5000&length&etag=v1", "gzip");

        assertEquals("gzip", response.headers().firstValue("Content-Encoding").orElse(null));
        assertEquals("W/\"v1\"", response.headers().firstValue("ETag").orElse(null));
        response.headers().firstValueAsLong("Content-Length").ifPresent(length ->
                assertEquals(response.body().length, length, "the Content-Length is the compressed size"));
        assertEquals(jack(5000), gunzip(response.body()));
    }

    @Test
    void qualitiesAreHonouredAndGzipAtZeroIsRefused() throws Exception {
        assertEquals("gzip", encoding(get("/compress.php?n=5000", "br;q=1, gzip;q=0.2")));
        assertEquals("gzip", encoding(get("/compress.php?n=5000", "*;q=0.5")));
        HttpResponse<byte[]> refused = get("/compress.php?n=5000", "gzip;q=0, br");
        assertEquals(null, encoding(refused));
        assertEquals(jack(5000), new String(refused.body(), StandardCharsets.UTF_8));
        assertTrue(refused.headers().allValues("Vary").toString().contains("Accept-Encoding"),
                "the answer depends on Accept-Encoding even when it is not compressed");
        assertEquals(null, encoding(get("/compress.php?n=5000", null)));
    }

    @Test
    void shortResponsesGoAsTheyAreWithTheirLength() throws Exception {
        HttpResponse<byte[]> unannounced = get("/compress.php?n=300", "gzip");
        assertEquals(null, encoding(unannounced));
        assertEquals(300, unannounced.body().length);

        HttpResponse<byte[]> announced = get("/compress.php?n=300&length", "gzip");
        assertEquals(null, encoding(announced));
        assertEquals(300L, announced.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    @Test
    void aResponseAlreadyEncodedOrNotTextIsLeftAlone() throws Exception {
        HttpResponse<byte[]> encoded = get("/compress.php?n=5000&encoding=br", "gzip");
        assertEquals("br", encoding(encoded));
        assertEquals(jack(5000), new String(encoded.body(), StandardCharsets.UTF_8));

        HttpResponse<byte[]> binary = get("/compress.php?n=5000&type=image/png", "gzip");
        assertEquals(null, encoding(binary));
        assertEquals(5000, binary.body().length);
    }

    @Test
    void jsonAndErrorPagesAreCompressedButHeadNever() throws Exception {
        assertEquals("gzip", encoding(get("/compress.php?n=5000&type=application/json", "gzip")));
        HttpResponse<byte[]> notFound = get("/compress.php?n=5000&status=404", "gzip");
        assertEquals(404, notFound.statusCode());
        assertEquals("gzip", encoding(notFound));

        HttpResponse<Void> head = server.http().send(server.request("/compress.php?n=5000")
                .header("Accept-Encoding", "gzip").method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                BodyHandlers.discarding());
        assertEquals(null, head.headers().firstValue("Content-Encoding").orElse(null));
    }

    @Test
    void serverSentEventsArriveOneByOneWhileCompressed() throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = server.http().send(server.request("/events.php?count=2&gap=2")
                .header("Accept-Encoding", "gzip").build(), BodyHandlers.ofInputStream());
        assertEquals("gzip", response.headers().firstValue("Content-Encoding").orElse(null));
        // Byte by byte: a reader would wait for more, since an inflating stream always says more is available.
        try (InputStream events = new GZIPInputStream(response.body())) {
            assertEquals("data: event 1", readLine(events));
            long firstMillis = millisSince(start);
            assertEquals("", readLine(events));
            assertEquals("data: event 2", readLine(events));
            long secondMillis = millisSince(start);

            assertTrue(firstMillis < 1500, "the first event took " + firstMillis + " ms; the next comes 2 s later");
            assertTrue(secondMillis >= 1900, "the second event came after " + secondMillis + " ms");
        }
    }

    @Test
    void xAccelBufferingNoStreamsUncompressedAndStaysWithTheBridge() throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = server.http().send(server.request("/events.php?count=2&gap=2&unbuffered")
                .header("Accept-Encoding", "gzip").build(), BodyHandlers.ofInputStream());
        assertEquals(null, response.headers().firstValue("Content-Encoding").orElse(null));
        assertFalse(response.headers().firstValue("X-Accel-Buffering").isPresent(), response.headers().toString());
        try (InputStream events = response.body()) {
            assertEquals("data: event 1", readLine(events));
            long firstMillis = millisSince(start);
            assertTrue(firstMillis < 1500, "the first event took " + firstMillis + " ms");
        }
        HttpResponse<byte[]> page = get("/compress.php?n=5000&unbuffered", "gzip");
        assertEquals(null, encoding(page));
        assertFalse(page.headers().firstValue("X-Accel-Buffering").isPresent());
    }

    @Test
    void aStaticTextFileIsGzippedWithAWeakEtagThatRevalidates() throws Exception {
        HttpResponse<byte[]> response = get("/static/jack.css", "gzip");

        assertEquals(200, response.statusCode());
        assertEquals("gzip", encoding(response));
        assertTrue(response.headers().allValues("Vary").toString().contains("Accept-Encoding"));
        String etag = response.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.startsWith("W/\""), etag);
        assertArrayEquals(stylesheet, gunzipBytes(response.body()));

        HttpResponse<byte[]> again = server.http().send(server.request("/static/jack.css")
                .header("Accept-Encoding", "gzip").header("If-None-Match", etag).build(), BodyHandlers.ofByteArray());
        assertEquals(304, again.statusCode());
    }

    @Test
    void aRangeOfAStaticFileIsSentAsItIs() throws Exception {
        HttpResponse<byte[]> response = server.http().send(server.request("/static/jack.css")
                .header("Accept-Encoding", "gzip").header("Range", "bytes=0-9").build(), BodyHandlers.ofByteArray());

        assertEquals(206, response.statusCode());
        assertEquals(null, encoding(response));
        assertEquals(".jack { co", new String(response.body(), StandardCharsets.UTF_8));
    }

    @Test
    void aPrecompressedSiblingWinsOverCompressingOnTheFly() throws Exception {
        HttpResponse<byte[]> response = get("/static/packed.html", "gzip");

        assertEquals("gzip", encoding(response));
        assertArrayEquals(gzipMarker(), response.body());
    }

    @Test
    void compressionOffSendsEverythingAsItIs(PhpFpm fpm) throws Exception {
        try (BridgeServer off = BridgeServer.start(fpm, Map.of("compression", "off"))) {
            HttpResponse<byte[]> php = off.http().send(off.request("/compress.php?n=5000")
                    .header("Accept-Encoding", "gzip").build(), BodyHandlers.ofByteArray());
            HttpResponse<byte[]> file = off.http().send(off.request("/static/jack.css")
                    .header("Accept-Encoding", "gzip").build(), BodyHandlers.ofByteArray());

            assertEquals(null, encoding(php));
            assertEquals(5000, php.body().length);
            assertEquals(null, encoding(file));
            assertArrayEquals(stylesheet, file.body());
        }
    }

    private HttpResponse<byte[]> get(String path, String acceptEncoding) throws IOException, InterruptedException {
        HttpRequest.Builder request = server.request(path);
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        return server.http().send(request.build(), BodyHandlers.ofByteArray());
    }

    private static String encoding(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Encoding").orElse(null);
    }

    private static String jack(int length) {
        return "All work and no play makes Jack a dull boy. ".repeat(length / 44 + 1).substring(0, length);
    }

    private static String gunzip(byte[] body) throws IOException {
        return new String(gunzipBytes(body), StandardCharsets.UTF_8);
    }

    private static byte[] gunzipBytes(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    /** A valid gzip member that is not the compressed page, so a test sees which bytes were sent. */
    private static byte[] gzipMarker() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(bytes)) {
            gzip.write("precompressed sibling".getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static String readLine(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new java.io.EOFException("the stream ended in a line: " + line);
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
