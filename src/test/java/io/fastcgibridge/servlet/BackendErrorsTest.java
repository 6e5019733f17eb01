package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import io.fastcgibridge.testing.PhpFpmPool;
import io.fastcgibridge.testing.PhpFpmSettings;
import io.fastcgibridge.testing.RefusingPort;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an HTTP client sees when PHP-FPM fails: the bridge's own short error answers (502, 503 with
 * Retry-After, 504), and a broken-off response once PHP-FPM dies after the response has started.
 * The class's PHP-FPM has one worker per pool, so the 503 case can fill it.
 */
@ExtendWith(PhpFpmExtension.class)
@PhpFpmPool(maxChildren = 1)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackendErrorsTest {

    @Test
    void phpFpmWithoutItsSocketFileAnswers502WithAShortBodyThatHidesThePath(PhpFpm fpm, @TempDir Path dir)
            throws Exception {
        String socket = dir.resolve("php-fpm-is-down.sock").toString();
        try (BridgeServer bridge = BridgeServer.start(Map.of(
                "docroot", List.of(fpm.documentRoot().toString()),
                "fpm", List.of("unix://" + socket)))) {
            HttpResponse<String> response = bridge.get("/greeter.php");

            assertEquals(502, response.statusCode());
            assertRevealsNothing(response.body(), socket, dir.toString(), "unix");
        }
    }

    @Test
    void phpFpmRefusingConnectionsAnswers502WithAShortBodyThatHidesTheAddress(PhpFpm fpm) throws Exception {
        try (RefusingPort refusing = new RefusingPort();
             BridgeServer bridge = BridgeServer.start(Map.of(
                     "docroot", List.of(fpm.documentRoot().toString()),
                     "fpm", List.of(refusing.address())))) {
            HttpResponse<String> response = bridge.get("/greeter.php");

            assertEquals(502, response.statusCode());
            String port = refusing.address().substring(refusing.address().lastIndexOf(':') + 1);
            assertRevealsNothing(response.body(), refusing.address(), "127.0.0.1", port);
        }
    }

    @Test
    void everyWorkerBusyPastThePoolWaitAnswers503WithRetryAfterAndTheBusyRequestStillSucceeds(PhpFpm fpm)
            throws Exception {
        try (BridgeServer bridge = BridgeServer.start(fpm, Map.of(
                "max-connections", "1", "pool-wait-timeout", "300ms", "retry-after", "7s"))) {
            CompletableFuture<HttpResponse<String>> sleeper = bridge.http().sendAsync(
                    bridge.request("/sleep.php?s=3").build(), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(500); // the sleeper now holds the only connection (and the only worker)
            assertFalse(sleeper.isDone(), "sleep.php?s=3 answered too early to hold the connection");

            long start = System.nanoTime();
            HttpResponse<String> busy = bridge.get("/greeter.php");
            Duration waited = Duration.ofNanos(System.nanoTime() - start);

            assertEquals(503, busy.statusCode(), busy.body());
            assertEquals(List.of("7"), busy.headers().allValues("Retry-After"));
            assertRevealsNothing(busy.body());
            assertTrue(waited.toMillis() >= 250, "answered 503 after " + waited.toMillis()
                    + " ms, before the 300 ms pool wait was over");
            assertTrue(waited.toMillis() < 2_500, "answered 503 only after " + waited.toMillis() + " ms");

            HttpResponse<String> slept = sleeper.get(10, TimeUnit.SECONDS);
            assertEquals(200, slept.statusCode());
            assertEquals("slept", slept.body());
        }
    }

    @Test
    void aScriptSilentPastTheReadTimeoutAnswers504AndTheBridgeServesTheNextRequest() throws Exception {
        // Its own PHP-FPM with several workers: the timed-out script goes on sleeping in one of them.
        try (PhpFpm fpm = PhpFpm.start(PhpFpmSettings.defaults());
             BridgeServer bridge = BridgeServer.start(fpm, Map.of("read-timeout", "1s"))) {
            long start = System.nanoTime();
            HttpResponse<String> slow = bridge.get("/sleep.php?s=4");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertEquals(504, slow.statusCode(), slow.body());
            assertRevealsNothing(slow.body(), fpm.socketPath().toString());
            assertTrue(took.toMillis() >= 900, "504 after " + took.toMillis() + " ms, before the 1 s read timeout");
            assertTrue(took.toMillis() < 3_500, "504 only after " + took.toMillis() + " ms for a 1 s read timeout");

            HttpResponse<String> next = bridge.get("/greeter.php");
            assertEquals(200, next.statusCode());
            assertEquals("Hello World", next.body());
        }
    }

    @Test
    void phpFpmKilledAfterTheResponseStartedBreaksTheResponseOffInsteadOfEndingIt() throws Exception {
        try (PhpFpm doomed = PhpFpm.start(PhpFpmSettings.defaults());
             BridgeServer bridge = BridgeServer.start(doomed, Map.of())) {
            HttpResponse<InputStream> response = within(Duration.ofSeconds(10), "the response head",
                    bridge.http().sendAsync(bridge.request("/flush-sleep.php?s=30").build(),
                            HttpResponse.BodyHandlers.ofInputStream()));
            assertEquals(200, response.statusCode());
            InputStream body = response.body();
            byte[] started = within(Duration.ofSeconds(10), "the first body bytes",
                    CompletableFuture.supplyAsync(() -> {
                        try {
                            return body.readNBytes("started".length());
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }));
            assertEquals("started", new String(started, StandardCharsets.US_ASCII));

            doomed.kill();

            CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> {
                try {
                    byte[] more = body.readAllBytes();
                    return "a clean end of stream after 'started' + " + more.length + " more bytes: '"
                            + new String(more, StandardCharsets.ISO_8859_1) + "'";
                } catch (IOException e) {
                    return null; // broken off: what a client must see
                }
            });
            String cleanEnd = within(Duration.ofSeconds(15), "the end of the response", rest);
            if (cleanEnd != null) {
                fail("PHP-FPM was killed mid-response, but the client saw " + cleanEnd
                        + ": a truncated 200 that looks complete");
            }
        }
    }

    /** The bridge's error bodies are one short line, with nothing about the backend or Java. */
    private static void assertRevealsNothing(String body, String... secrets) {
        assertTrue(body.length() <= 64, "error body too long: " + body);
        String lower = body.toLowerCase(Locale.ROOT);
        for (String word : List.of("exception", "fastcgi", "fpm", ".sock", "/tmp", "java", "at io.", "refused")) {
            assertFalse(lower.contains(word), "error body reveals '" + word + "': " + body);
        }
        for (String secret : secrets) {
            assertFalse(body.contains(secret), "error body reveals '" + secret + "': " + body);
        }
    }

    private static <T> T within(Duration limit, String what, CompletableFuture<T> future) throws Exception {
        try {
            return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new AssertionError("no " + what + " within " + limit.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
