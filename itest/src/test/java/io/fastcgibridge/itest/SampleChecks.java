package io.fastcgibridge.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What a user of the sample sees, wherever it runs: the greeter, a front-controller route, a static
 * file with its 304, and the sample observer's header. {@code base} ends before the application's
 * paths: {@code http://127.0.0.1:PORT/fastcgi-bridge-sample} for the WAR, no context for the launcher.
 */
final class SampleChecks {

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SampleChecks(String base) {
        this.base = base;
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls the greeter until it answers, as an operator would after a start. */
    void awaitUp(Duration limit) throws InterruptedException {
        awaitUp("/greeter.php", limit);
    }

    /** Polls {@code path} until it answers 200. */
    void awaitUp(String path, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (get(path).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError(base + " did not answer within " + limit.toSeconds() + " s");
    }

    void all() throws IOException, InterruptedException {
        HttpResponse<String> greeting = get("/greeter.php");
        assertEquals(200, greeting.statusCode());
        assertEquals("Hello World", greeting.body());

        HttpResponse<String> route = get("/hello/Tomcat");
        assertEquals(200, route.statusCode(), route.body());
        assertTrue(route.body().contains("<h1>Hello Tomcat</h1>"), route.body());

        HttpResponse<String> style = get("/assets/style.css");
        assertEquals(200, style.statusCode());
        assertTrue(style.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
        String etag = style.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("no ETag"));
        assertEquals(304, get("/assets/style.css", "If-None-Match", etag).statusCode());

        assertEquals("FastCGI Bridge sample", greeting.headers().firstValue("X-Served-By").orElse(null),
                "the sample's CDI observer did not run");
        assertEquals("FastCGI Bridge sample", style.headers().firstValue("X-Served-By").orElse(null),
                "the observer at priority 50 must run before static files are served");
        assertEquals(404, get("/WEB-INF/web.xml").statusCode());
    }
}
