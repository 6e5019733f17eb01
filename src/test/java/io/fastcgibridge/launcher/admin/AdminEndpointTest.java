package io.fastcgibridge.launcher.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.client.FastCgiAddress;
import io.fastcgibridge.launcher.EmbeddedTomcat;
import io.fastcgibridge.servlet.BridgeConfig;
import io.fastcgibridge.servlet.BridgeOption;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin port as an operator and Kubernetes see it: separate from the public port both ways,
 * metrics that include PHP-FPM's own view, and readiness that follows PHP-FPM.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AdminEndpointTest {

    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(800);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> started = new ArrayList<>();
    private PhpFpm fpm;
    private EmbeddedTomcat tomcat;
    private int adminPort;

    @AfterEach
    void stop() throws Exception {
        if (tomcat != null) {
            tomcat.stop();
        }
        if (fpm != null) {
            fpm.kill();
            fpm.stop();
        }
    }

    @Test
    void thePublicPortNeverShowsMetricsOrStatusAndTheAdminPortNeverRunsPhp() throws Exception {
        start(5, "/ping", "/status", null);
        assertEquals("Hello World", get(publicPort(), "/greeter.php").body());
        for (String path : List.of("/metrics", "/health/ready", "/health/live", "/status", "/status?json", "/ping")) {
            HttpResponse<String> answer = get(publicPort(), path);
            assertEquals(404, answer.statusCode(), "public " + path + ": " + answer.body());
            assertFalse(answer.body().contains("pong") || answer.body().contains("fastcgi_")
                    || answer.body().contains("accepted conn"), "public " + path + ": " + answer.body());
        }
        for (String path : List.of("/greeter.php", "/", "/static/site.css", "/status", "/ping")) {
            HttpResponse<String> answer = get(adminPort, path);
            assertEquals(404, answer.statusCode(), "admin " + path);
            assertFalse(answer.body().contains("Hello"), "admin " + path + ": " + answer.body());
        }
        assertEquals(200, get(adminPort, "/health/live").statusCode());
    }

    @Test
    void metricsCountTheRequestsAndPhpFpmsActiveWorkersRiseWhileSlowRequestsRun() throws Exception {
        start(6, "/ping", "/status", null);
        for (int i = 0; i < 3; i++) {
            assertEquals("Hello World", get(publicPort(), "/greeter.php").body());
        }
        String backend = fpm.unixAddress();
        String idle = get(adminPort, "/metrics").body();
        assertEquals(3.0, sample(idle, "fastcgi_requests_seconds_count", "backend=\"" + backend + "\",outcome=\"completed\",servlet=\"fastcgi\",status=\"2xx\""), idle);
        double quiet = sample(idle, "phpfpm_processes", "backend=\"" + backend + "\",state=\"active\"");
        double kept = sample(idle, "fastcgi_connections", "backend=\"" + backend + "\",servlet=\"fastcgi\",state=\"idle\"");
        assertEquals(1.0 + kept, quiet, "the status request and the workers pinned by kept connections\n" + idle);

        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            slow.add(http.sendAsync(request(publicPort(), "/sleep.php?s=3"), HttpResponse.BodyHandlers.ofString()));
        }
        double busiest = 0;
        String busy = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (busiest < 5 && System.nanoTime() < deadline) {
            busy = get(adminPort, "/metrics").body();
            busiest = sample(busy, "phpfpm_processes", "backend=\"" + backend + "\",state=\"active\"");
        }
        assertTrue(busiest >= 5.0, "4 sleeping scripts and the status request\n" + busy);
        assertTrue(sample(busy, "phpfpm_processes", "backend=\"" + backend + "\",state=\"idle\"") <= 1.0, busy);
        assertEquals(4.0, sample(busy, "fastcgi_connections", "backend=\"" + backend + "\",servlet=\"fastcgi\",state=\"active\""), busy);
        for (CompletableFuture<HttpResponse<String>> answer : slow) {
            assertEquals("slept", answer.get(10, TimeUnit.SECONDS).body());
        }
        String after = get(adminPort, "/metrics").body();
        assertEquals(1.0 + sample(after, "fastcgi_connections", "backend=\"" + backend + "\",servlet=\"fastcgi\",state=\"idle\""),
                sample(after, "phpfpm_processes", "backend=\"" + backend + "\",state=\"active\""),
                "once the scripts ended, PHP-FPM's busy workers are the bridge's kept connections and the status request\n"
                        + after);
    }

    @Test
    void readinessTurns503WithinItsTimeoutWhilePhpFpmHangsAndIsDownAnd200WhenItAnswersAgain() throws Exception {
        start(2, "/ping", "", null);
        assertEquals(200, get(adminPort, "/health/ready").statusCode());

        signal("-STOP");
        long asked = System.nanoTime();
        HttpResponse<String> hung = get(adminPort, "/health/ready");
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked);
        assertEquals(503, hung.statusCode(), hung.body());
        assertTrue(hung.body().startsWith("{\"status\":\"not ready\",\"reason\":"), hung.body());
        assertTrue(hung.body().contains("no answer within 800 ms"), hung.body());
        assertTrue(tookMillis < PROBE_TIMEOUT.toMillis() + 700, "readiness took " + tookMillis + " ms");

        signal("-CONT");
        assertEquals(200, get(adminPort, "/health/ready").statusCode());

        fpm.kill();
        HttpResponse<String> down = get(adminPort, "/health/ready");
        assertEquals(503, down.statusCode(), down.body());
        assertTrue(down.body().contains("connection refused"), down.body());
        assertEquals(200, get(adminPort, "/health/live").statusCode(), "the JVM still serves");
    }

    @Test
    void withoutAPingPathReadinessRunsTheLaunchersOwnScriptOutsideTheDocumentRoot(@TempDir Path scripts)
            throws Exception {
        start(2, "", "", scripts);
        HttpResponse<String> ready = get(adminPort, "/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        fpm.kill();
        assertEquals(503, get(adminPort, "/health/ready").statusCode());
    }

    private void start(int children, String ping, String status, Path scriptParent) throws Exception {
        Map<String, String> extra = new java.util.LinkedHashMap<>();
        if (!ping.isEmpty()) {
            extra.put("ping.path", ping);
        }
        if (!status.isEmpty()) {
            extra.put("pm.status_path", status);
        }
        fpm = PhpFpm.start(PhpFpmSettings.defaults().withMaxChildren(children).withExtraPoolSettings(extra));
        BridgeConfig config = BridgeConfig.from(option -> option == BridgeOption.DOCROOT
                ? List.of(fpm.documentRoot().toString())
                : option == BridgeOption.FPM ? List.of(fpm.unixAddress()) : List.of());
        tomcat = EmbeddedTomcat.start("127.0.0.1", 0, config, Duration.ofSeconds(2));
        List<ProbeTarget> targets = ProbeTargets.of(List.of(FastCgiAddress.parse(fpm.unixAddress())), ping, status,
                scriptParent);
        adminPort = AdminEndpoint.start(tomcat.server(), new AdminSettings("127.0.0.1", 0, PROBE_TIMEOUT), targets)
                .port();
    }

    private int publicPort() {
        return tomcat.port();
    }

    private void signal(String signal) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", signal, Long.toString(fpm.pid())));
        ProcessHandle.of(fpm.pid()).orElseThrow().descendants().forEach(p -> command.add(Long.toString(p.pid())));
        assertEquals(0, new ProcessBuilder(command).inheritIO().start().waitFor());
    }

    private HttpRequest request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20))
                .build();
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(request(port, path), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one Prometheus sample, by name and its exact label set; NaN when absent. */
    static double sample(String scrape, String name, String labels) {
        Matcher line = Pattern.compile("^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$", Pattern.MULTILINE)
                .matcher(scrape);
        return line.find() ? Double.parseDouble(line.group(1)) : Double.NaN;
    }
}
