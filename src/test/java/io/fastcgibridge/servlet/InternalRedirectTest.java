package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import io.fastcgibridge.testing.PhpFpmPool;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * X-Accel-Redirect and X-Sendfile as a client sees them, through embedded Tomcat and a real
 * PHP-FPM with one worker: PHP checks access and names a file, the bridge sends it as a static
 * file with PHP's headers, and anything outside the allowed places is a 500, never the file.
 */
@ExtendWith(PhpFpmExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@PhpFpmPool(maxChildren = 1)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InternalRedirectTest {

    @TempDir
    static Path outside;
    private BridgeServer server;
    private byte[] report;
    private byte[] archive;
    private Path sendfileRoot;

    @BeforeAll
    void start(PhpFpm fpm) throws IOException {
        Path root = fpm.documentRoot();
        report = new byte[300 * 1024];
        new Random(12).nextBytes(report);
        Files.createDirectories(root.resolve("protected"));
        Files.write(root.resolve("protected/report.bin"), report);
        Files.writeString(root.resolve("protected/notes.txt"), "internal notes\n");
        Files.writeString(root.resolve(".secret.txt"), "dot-file\n");
        sendfileRoot = Files.createDirectories(outside.resolve("downloads")).toRealPath();
        archive = new byte[100 * 1024];
        new Random(13).nextBytes(archive);
        Files.write(sendfileRoot.resolve("archive.bin"), archive);
        Files.writeString(outside.resolve("elsewhere.txt"), "not under the sendfile root\n");
        Files.createSymbolicLink(sendfileRoot.resolve("escape.txt"), outside.resolve("elsewhere.txt"));
        server = BridgeServer.start(Map.of(
                "docroot", List.of(root.toString()), "fpm", List.of(fpm.unixAddress()),
                "internal", List.of("/protected/"), "sendfile-root", List.of(sendfileRoot.toString())));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void xAccelRedirectSendsTheFileWithPhpsHeadersAndNeverItsBody() throws Exception {
        HttpResponse<byte[]> response = get("/accel.php?accel=/protected/report.bin");

        assertEquals(200, response.statusCode());
        assertArrayEquals(report, response.body());
        assertEquals("attachment; filename=\"report.bin\"", header(response, "Content-Disposition"));
        assertEquals("yes", header(response, "X-Kept"));
        assertEquals("application/octet-stream", header(response, "Content-Type"));
        assertEquals(Long.toString(report.length), header(response, "Content-Length"));
        assertFalse(header(response, "ETag").contains("php-etag"), "the file's own validator");
        assertEquals(null, header(response, "X-Accel-Redirect"));
    }

    @Test
    void phpsContentTypeWinsOverTheFilesOwn() throws Exception {
        HttpResponse<byte[]> response = get("/accel.php?type=application/pdf&accel=/protected/notes.txt");

        assertEquals("application/pdf", header(response, "Content-Type"));
        assertEquals("internal notes\n", new String(response.body(), StandardCharsets.UTF_8));
    }

    @Test
    void anInternalPathIsNotFoundForClients() throws Exception {
        assertEquals(404, get("/protected/report.bin").statusCode());
        assertEquals(404, get("//protected//notes.txt").statusCode());
        assertEquals(404, get("/protected/").statusCode());
    }

    @Test
    void theRequestsRangeAndConditionsApplyToTheFile() throws Exception {
        HttpResponse<byte[]> range = server.http().send(server.request("/accel.php?accel=/protected/report.bin")
                .header("Range", "bytes=1000-1999").build(), BodyHandlers.ofByteArray());
        assertEquals(206, range.statusCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(report, 1000, 2000), range.body());
        assertEquals("bytes 1000-1999/" + report.length, header(range, "Content-Range"));

        String etag = header(get("/accel.php?accel=/protected/report.bin"), "ETag");
        HttpResponse<byte[]> revalidated = server.http().send(server.request("/accel.php?accel=/protected/report.bin")
                .header("If-None-Match", etag).build(), BodyHandlers.ofByteArray());
        assertEquals(304, revalidated.statusCode());
        assertEquals(0, revalidated.body().length);
    }

    @Test
    void xSendfileSendsAFileUnderTheSendfileRoot() throws Exception {
        HttpResponse<byte[]> response = get("/accel.php?sendfile=" + encode(sendfileRoot.resolve("archive.bin")));

        assertEquals(200, response.statusCode());
        assertArrayEquals(archive, response.body());
        assertEquals("attachment; filename=\"report.bin\"", header(response, "Content-Disposition"));
        assertEquals(null, header(response, "X-Sendfile"));
    }

    @Test
    void targetsOutsideTheAllowedPlacesAre500AndNeverTheFile() throws Exception {
        for (String query : List.of("accel=/accel.php", "accel=/.secret.txt", "accel=/../outside.txt",
                "accel=protected/notes.txt", "accel=/protected/", "sendfile=" + encode(outside.resolve("elsewhere.txt")),
                "sendfile=" + encode(sendfileRoot.resolve("escape.txt")),
                "sendfile=" + encode(sendfileRoot.resolve("../elsewhere.txt")), "sendfile=relative.txt")) {
            HttpResponse<byte[]> response = get("/accel.php?" + query);
            String body = new String(response.body(), StandardCharsets.ISO_8859_1);

            assertEquals(500, response.statusCode(), query + ": " + body);
            assertFalse(body.contains("not under the sendfile root") || body.contains("dot-file")
                    || body.contains("<?php") || body.contains("PHP BODY"), query + ": " + body);
            assertEquals(null, header(response, "Content-Disposition"), query);
        }
    }

    @Test
    void aMissingFileInAnAllowedPlaceIs404() throws Exception {
        assertEquals(404, get("/accel.php?accel=/protected/gone.bin").statusCode());
        assertEquals(404, get("/accel.php?sendfile=" + encode(sendfileRoot.resolve("gone.bin"))).statusCode());
    }

    @Test
    void thePhpWorkerIsFreeWhileAClientIsStillReadingTheFile() throws Exception {
        HttpResponse<InputStream> slow = server.http().send(server.request("/accel.php?accel=/protected/report.bin")
                .build(), BodyHandlers.ofInputStream());
        try (InputStream body = slow.body()) {
            assertEquals(200, slow.statusCode());
            // The only PHP worker answers another request while the first file is not read yet.
            HttpResponse<String> next = server.get("/greeter.php");
            assertEquals("Hello World", next.body());
            assertArrayEquals(report, body.readAllBytes());
        }
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return server.http().send(server.request(path).build(), BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static String encode(Path path) {
        return URLEncoder.encode(path.toString(), StandardCharsets.UTF_8);
    }
}
