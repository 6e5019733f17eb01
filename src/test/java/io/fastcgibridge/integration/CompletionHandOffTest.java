package io.fastcgibridge.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.event.Priorities;
import io.fastcgibridge.event.RequestCompletedEvent;
import io.fastcgibridge.event.RequestEvent;
import io.fastcgibridge.servlet.RequestOutcome;
import io.fastcgibridge.testing.AccessLogFile;
import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Completion observers ({@code RequestCompletedEvent}, the access log) run on the bridge's
 * completion threads once the response is out, never on a FastCGI I/O thread: a slow one delays no
 * response, a throwing one changes no response and silences no other observer, and what is queued
 * when the application stops is still delivered or logged. Without CDI (the fallback dispatcher).
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(120)
class CompletionHandOffTest {

    /** A completion as an observer saw it, with the thread it ran on. */
    private record Seen(RequestCompletedEvent event, String thread) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private BridgeServer start(PhpFpm fpm, Map<String, String> options) {
        BridgeServer server = BridgeServer.start(fpm, options);
        FallbackEventDispatcher events = (FallbackEventDispatcher) server.events();
        events.register(RequestEvent.class, 10, event -> {
            if (event.request().getRequestURI().equals("/veto")) {
                try {
                    event.respond(200, "text/plain", "vetoed\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        events.register(RequestCompletedEvent.class, Priorities.DEFAULT + 1,
                event -> seen.add(new Seen(event, Thread.currentThread().getName())));
        return server;
    }

    @Test
    void aTwoSecondCompletionObserverDelaysNoneOfEightConcurrentPhpRequests(PhpFpm fpm) throws Exception {
        // As many connections as PHP-FPM has workers (4), so that no request waits for a kept one.
        try (BridgeServer server = start(fpm, Map.of("max-connections", "4"))) {
            ((FallbackEventDispatcher) server.events()).register(RequestCompletedEvent.class, 10, event -> sleep(2000));
            List<CompletableFuture<Long>> timings = new ArrayList<>();

            for (int i = 0; i < 8; i++) {
                long sent = System.nanoTime();
                timings.add(server.http().sendAsync(server.request("/greeter.php?n=" + i).build(),
                        HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
                            assertEquals("Hello World", response.body());
                            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
                        }));
            }

            List<Long> millis = new ArrayList<>();
            for (CompletableFuture<Long> timing : timings) {
                millis.add(timing.get(60, TimeUnit.SECONDS));
            }
            // A response that waited for the observer would take its 2 s at least.
            assertTrue(millis.stream().allMatch(ms -> ms < 2000), "response times (ms): " + millis);
            List<Seen> completions = awaitCompletions(8);
            completions.forEach(completion -> assertTrue(completion.thread().startsWith("fastcgi-completion-"),
                    completion.thread()));
        }
    }

    @Test
    void aThrowingCompletionObserverLeavesPhpStaticAndVetoedResponsesAndTheAccessLogIntact(PhpFpm fpm,
            @TempDir Path dir) throws Exception {
        AccessLogFile log = new AccessLogFile(dir.resolve("access.log"));
        try (BridgeServer server = start(fpm, Map.of("access-log", log.path().toString()))) {
            // Before the access log (at the default priority) and the recording listener.
            ((FallbackEventDispatcher) server.events()).register(RequestCompletedEvent.class, 10, event -> {
                throw new IllegalStateException("completion observer failed for " + event.request().uri());
            });

            HttpResponse<String> php = server.get("/greeter.php");
            HttpResponse<String> css = server.get("/static/site.css");
            HttpResponse<String> vetoed = server.get("/veto");

            assertEquals(200, php.statusCode());
            assertEquals("Hello World", php.body());
            assertEquals(200, css.statusCode());
            assertEquals(Files.readString(fpm.documentRoot().resolve("static/site.css")), css.body());
            assertEquals(200, vetoed.statusCode());
            assertEquals("vetoed\n", vetoed.body());
            assertEquals("200 11", log.statusAndBytes("GET /greeter.php HTTP/1.1"));
            assertEquals("200 7", log.statusAndBytes("GET /veto HTTP/1.1"));
            log.lineFor("GET /static/site.css HTTP/1.1");
            List<RequestOutcome> outcomes = awaitCompletions(3).stream().map(s -> s.event().outcome()).toList();
            assertTrue(outcomes.containsAll(List.of(RequestOutcome.COMPLETED, RequestOutcome.STATIC,
                    RequestOutcome.VETOED)), outcomes.toString());
        }
    }

    @Test
    void completionsQueuedWhenTheApplicationStopsAreDeliveredFirst(PhpFpm fpm) throws Exception {
        BridgeServer server = start(fpm, Map.of());
        ((FallbackEventDispatcher) server.events()).register(RequestCompletedEvent.class, 10, event -> sleep(1000));
        for (int i = 0; i < 8; i++) {
            assertEquals(200, server.get("/greeter.php?stop=" + i).statusCode());
        }

        server.close();

        assertEquals(8, seen.size(), "completions delivered before the application stopped");
    }

    @Test
    void aCompletionStillRunningPastTheStopGraceIsCutOffAndLogged(PhpFpm fpm) throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(String.valueOf(record.getMessage()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("io.fastcgibridge.integration");
        logger.addHandler(capture);
        try {
            BridgeServer server = start(fpm, Map.of());
            ((FallbackEventDispatcher) server.events()).register(RequestCompletedEvent.class, 10,
                    event -> sleep(60_000));
            assertEquals(200, server.get("/greeter.php?stuck").statusCode());

            long closing = System.nanoTime();
            server.close();

            long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);
            assertTrue(closeMillis < 20_000, "the stop waited " + closeMillis + " ms for a stuck observer");
            assertTrue(logged.stream().anyMatch(line -> line.startsWith("FCGI-0512")), logged.toString());
        } finally {
            logger.removeHandler(capture);
        }
    }

    private List<Seen> awaitCompletions(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (seen.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(count, seen.size(), "completions: " + seen);
        assertFalse(seen.stream().anyMatch(s -> s.thread().startsWith("fastcgi-io")), seen.toString());
        return List.copyOf(seen);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
