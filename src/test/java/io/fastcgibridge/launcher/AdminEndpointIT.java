package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import io.fastcgibridge.testing.ServeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code serve --admin-port 0} from the executable jar, with its managed PHP-FPM: Prometheus text
 * with the bridge's and PHP-FPM's meters, and readiness that turns 503 when PHP-FPM dies and 200
 * once the launcher has restarted it.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(120)
class AdminEndpointIT {

    private static final Pattern ADMIN = Pattern.compile("^admin on http://127\\.0\\.0\\.1:(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void metricsFromTheJarAndReadinessThatFollowsTheManagedPhpFpmThroughARestart(PhpFpm harness) throws Exception {
        try (ServeProcess serve = ServeProcess.start(ManagedServe.JAR, List.of(), List.of(
                "--docroot", harness.documentRoot().toString(), "--port", "0", "--admin-port", "0"))) {
            int admin = adminPort(serve);
            assertEquals("Hello World", http.send(HttpRequest.newBuilder(URI.create(serve.base() + "/greeter.php"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());

            HttpResponse<String> metrics = get(admin, "/metrics");
            assertEquals(200, metrics.statusCode());
            String type = metrics.headers().firstValue("Content-Type").orElse("");
            assertTrue(type.startsWith("text/plain") && type.contains("version=0.0.4"), type);
            assertTrue(Pattern.compile("(?m)^fastcgi_requests_seconds_count\\{backend=\"unix://[^\"]+\",outcome="
                    + "\"completed\",servlet=\"fastcgi\",status=\"2xx\"} 1(\\.0)?$").matcher(metrics.body()).find(),
                    metrics.body());
            assertTrue(metrics.body().contains("phpfpm_processes{backend=\"unix://"), metrics.body());
            assertEquals(200, get(admin, "/health/ready").statusCode());

            ProcessHandle master = serve.process().toHandle().children()
                    .filter(p -> p.info().commandLine().orElse("").contains("php-fpm")).findFirst().orElseThrow();
            // Readiness is polled from before the kill: the launcher restarts PHP-FPM about 1 s after it died.
            List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicBoolean polling = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread poller = new Thread(() -> {
                while (polling.get()) {
                    try {
                        HttpResponse<String> ready = get(admin, "/health/ready");
                        seen.add(ready.statusCode() + " " + ready.body());
                        Thread.sleep(50);
                    } catch (Exception e) {
                        seen.add(e.toString());
                    }
                }
            });
            poller.start();
            PhpFpmCrash.killTree(master);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!recoveredAfterAnOutage(seen)) {
                if (System.nanoTime() > deadline) {
                    polling.set(false);
                    fail("readiness did not go 503 then 200: " + seen + "\n" + String.join("\n", serve.output()));
                }
                Thread.sleep(50);
            }
            polling.set(false);
            poller.join(5_000);
            String outage = seen.stream().filter(answer -> answer.startsWith("503")).findFirst().orElseThrow();
            assertTrue(outage.startsWith("503 {\"status\":\"not ready\",\"reason\":"), outage);
            assertEquals(200, get(admin, "/health/live").statusCode());
        }
    }

    /** A 503 was seen, and a 200 after it. */
    private static boolean recoveredAfterAnOutage(List<String> seen) {
        List<String> answers = List.copyOf(seen);
        int outage = -1;
        for (int i = 0; i < answers.size(); i++) {
            if (answers.get(i).startsWith("503")) {
                outage = outage < 0 ? i : outage;
            } else if (outage >= 0 && answers.get(i).startsWith("200")) {
                return true;
            }
        }
        return false;
    }

    private static int adminPort(ServeProcess serve) {
        for (String line : serve.output()) {
            Matcher admin = ADMIN.matcher(line);
            if (admin.find()) {
                return Integer.parseInt(admin.group(1));
            }
        }
        throw new AssertionError("no admin line:\n" + String.join("\n", serve.output()));
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
