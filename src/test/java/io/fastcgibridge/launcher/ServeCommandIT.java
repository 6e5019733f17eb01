package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import io.fastcgibridge.testing.ServeProcess;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code java -jar fastcgi-bridge.jar serve} as a user runs it, in a small heap, stopped by SIGTERM. */
@ExtendWith(PhpFpmExtension.class)
@Timeout(120)
class ServeCommandIT {

    private static final Path JAR = Path.of(System.getProperty("launcher.jar", "target/fastcgi-bridge.jar"));

    @Test
    void aHundredMebibyteDownloadStreamsThroughA128MebibyteHeapAndSigtermStopsCleanly(PhpFpm fpm) throws Exception {
        ServeProcess serve = ServeProcess.start(JAR, List.of("-Xmx128m"), List.of("--docroot",
                fpm.documentRoot().toString(), "--fpm", fpm.unixAddress(), "--port", "0", "--max-connections", "4"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + serve.port() + "/big.php?mib=100")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long received = 0;
        boolean intact = true;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream body = response.body()) {
            int n;
            while ((n = body.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    intact &= (buffer[i] & 0xFF) == (received + i) % 251;
                }
                received += n;
            }
        }
        assertEquals(200, response.statusCode());
        assertEquals(100L << 20, received);
        assertTrue(intact, "the bytes arrived changed");
        HttpResponse<String> greeting = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + serve.port() + "/greeter.php")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("Hello World", greeting.body());

        long stopping = System.nanoTime();
        assertEquals(0, serve.stop(), String.join("\n", serve.output()));
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
        assertTrue(stopMillis < 5000, "an idle server took " + stopMillis + " ms to stop: a request counted as"
                + " in flight after it ended holds the drain for the whole grace period");
        assertEquals(1, serve.output().stream().filter(l -> ServeProcess.LISTENING.matcher(l).find()).count());
    }

    @Test
    void withoutFpmOrDocrootServeSaysWhatIsMissing() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "serve", "--fpm", "127.0.0.1:9000").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue());
        assertTrue(output.contains("docroot is required"), output);
    }
}
