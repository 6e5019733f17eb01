package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code java -jar fastcgi-bridge.jar serve} as a user runs it, in a small heap, stopped by SIGTERM. */
@ExtendWith(PhpFpmExtension.class)
@Timeout(120)
class ServeCommandIT {

    private static final Pattern LISTENING = Pattern.compile("^listening on http://127\\.0\\.0\\.1:(\\d+)");

    /** A running {@code serve} process and the port it announced. */
    private record Serve(Process process, int port, List<String> output) {
    }

    private static Serve serve(PhpFpm fpm, String heap) throws Exception {
        Path jar = Path.of(System.getProperty("launcher.jar", "target/fastcgi-bridge.jar"));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-jar", jar.toString(), "serve", "--docroot", fpm.documentRoot().toString(),
                "--fpm", fpm.unixAddress(), "--port", "0", "--max-connections", "4")
                .redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
        String line;
        while ((line = lines.readLine()) != null) {
            output.add(line);
            Matcher listening = LISTENING.matcher(line);
            if (listening.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        lines.lines().forEach(output::add);
                    } catch (java.io.UncheckedIOException closed) {
                        // the process is gone
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return new Serve(process, Integer.parseInt(listening.group(1)), output);
            }
        }
        throw new AssertionError("serve ended without listening: " + output);
    }

    @Test
    void aHundredMebibyteDownloadStreamsThroughA128MebibyteHeapAndSigtermStopsCleanly(PhpFpm fpm) throws Exception {
        Serve serve = serve(fpm, "128m");
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

        serve.process().destroy();

        assertTrue(serve.process().waitFor(30, TimeUnit.SECONDS), "serve did not stop on SIGTERM");
        assertEquals(0, serve.process().exitValue(), String.join("\n", serve.output()));
        assertEquals(1, serve.output().stream().filter(l -> LISTENING.matcher(l).find()).count());
    }

    @Test
    void withoutFpmOrDocrootServeSaysWhatIsMissing() throws Exception {
        Path jar = Path.of(System.getProperty("launcher.jar", "target/fastcgi-bridge.jar"));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "serve", "--fpm", "127.0.0.1:9000").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue());
        assertTrue(output.contains("docroot is required"), output);
    }
}
