package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import io.fastcgibridge.testing.ServeProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's compression and internal-redirect flags as a user passes them to
 * {@code java -jar fastcgi-bridge.jar serve}: gzip by default, {@code --compression-min-length},
 * {@code --compression off}, {@code --internal} and {@code --sendfile-root}, with the refusal logged.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(120)
class CompressionAndRedirectsIT {

    private static final Path JAR = Path.of(System.getProperty("launcher.jar", "target/fastcgi-bridge.jar"));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void serveGzipsByDefaultFromTheMinimumLengthGivenAndStreamsEvents(PhpFpm fpm) throws Exception {
        try (ServeProcess serve = serve(fpm, "--compression-min-length", "100")) {
            HttpResponse<byte[]> page = get(serve, "/compress.php?n=300", "gzip");
            assertEquals("gzip", page.headers().firstValue("Content-Encoding").orElse(null));
            assertEquals(300, gunzip(page.body()).length);

            long start = System.nanoTime();
            HttpResponse<InputStream> events = http.send(request(serve, "/events.php?count=2&gap=2")
                    .header("Accept-Encoding", "gzip").build(), BodyHandlers.ofInputStream());
            try (InputStream body = new GZIPInputStream(events.body())) {
                byte[] first = body.readNBytes("data: event 1\n".length());
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals("data: event 1\n", new String(first, StandardCharsets.UTF_8));
                assertTrue(millis < 1500, "the first event took " + millis + " ms; the next comes 2 s later");
            }
        }
    }

    @Test
    void compressionOffSendsTextAsItIs(PhpFpm fpm) throws Exception {
        try (ServeProcess serve = serve(fpm, "--compression", "off")) {
            HttpResponse<byte[]> page = get(serve, "/compress.php?n=5000", "gzip");

            assertEquals(null, page.headers().firstValue("Content-Encoding").orElse(null));
            assertEquals(5000, page.body().length);
        }
    }

    @Test
    void internalPathsAndSendfileRootsServePhpsDownloadsAndRefuseTheRest(PhpFpm fpm, @TempDir Path downloads)
            throws Exception {
        byte[] report = new byte[200 * 1024];
        new Random(5).nextBytes(report);
        Files.createDirectories(fpm.documentRoot().resolve("members"));
        Files.write(fpm.documentRoot().resolve("members/report.bin"), report);
        Path root = downloads.toRealPath();
        Files.write(root.resolve("archive.bin"), report);
        try (ServeProcess serve = serve(fpm, "--internal", "/members/", "--sendfile-root", root.toString())) {
            assertEquals(404, get(serve, "/members/report.bin", null).statusCode());

            HttpResponse<byte[]> accel = get(serve, "/accel.php?accel=/members/report.bin", null);
            assertEquals(200, accel.statusCode());
            assertArrayEquals(report, accel.body());
            assertEquals("attachment; filename=\"report.bin\"",
                    accel.headers().firstValue("Content-Disposition").orElse(null));

            HttpResponse<byte[]> sendfile = get(serve, "/accel.php?sendfile="
                    + URLEncoder.encode(root.resolve("archive.bin").toString(), StandardCharsets.UTF_8), null);
            assertArrayEquals(report, sendfile.body());

            HttpResponse<byte[]> refused = get(serve, "/accel.php?sendfile=%2Fetc%2Fpasswd", null);
            assertEquals(500, refused.statusCode());
            assertTrue(serve.output().stream().anyMatch(line -> line.contains("FCGI-0670")
                    && line.contains("/etc/passwd")), String.join("\n", serve.output()));
        }
    }

    @Test
    void aBadCompressionValueIsAUsageError() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "serve", "--docroot", ".", "--fpm", "127.0.0.1:9",
                "--compression", "brotli").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue(), output);
        assertTrue(output.contains("compression: use on, gzip or off, not brotli"), output);
    }

    private static ServeProcess serve(PhpFpm fpm, String... flags) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("--docroot", fpm.documentRoot().toString(),
                "--fpm", fpm.unixAddress(), "--port", "0", "--max-connections", "4"));
        args.addAll(List.of(flags));
        return ServeProcess.start(JAR, List.of("-Xmx128m"), args);
    }

    private static HttpRequest.Builder request(ServeProcess serve, String path) {
        return HttpRequest.newBuilder(URI.create(serve.base() + path)).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<byte[]> get(ServeProcess serve, String path, String acceptEncoding)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(serve, path);
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        return http.send(request.build(), BodyHandlers.ofByteArray());
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }
}
