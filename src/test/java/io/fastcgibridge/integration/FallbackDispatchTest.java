package io.fastcgibridge.integration;

import io.fastcgibridge.event.*;
import io.fastcgibridge.servlet.RequestOutcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bridge in a Tomcat without CDI: the built-in listeners run through the fallback dispatcher,
 * listeners registered on it take part in priority order, and a throwing one fails only its request.
 */
@ExtendWith(PhpFpmExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FallbackDispatchTest {

    private PhpFpm fpm;
    private BridgeServer server;
    private final List<RequestCompletedEvent> completed = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start(PhpFpm fpm) {
        this.fpm = fpm;
        server = BridgeServer.start(fpm, Map.of());
        FallbackEventDispatcher events = assertInstanceOf(FallbackEventDispatcher.class, server.events());
        events.register(RequestEvent.class, 10, event -> {
            if (event.request().getRequestURI().startsWith("/touch.php") && event.request().getQueryString() != null) {
                throw new IllegalStateException("observer refused " + event.request().getQueryString());
            }
        });
        events.register(RequestCompletedEvent.class, Priorities.DEFAULT, completed::add);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private RequestCompletedEvent awaitCompleted(String uri) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (RequestCompletedEvent event : completed) {
                if (event.request().uri().equals(uri)) {
                    return event;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no RequestCompletedEvent for " + uri);
    }

    @Test
    void aThrowingObserverFailsItsRequestWith500AndPhpNeverRuns() throws Exception {
        Path marker = fpm.documentRoot().resolve("../php-ran.marker").normalize();
        Files.deleteIfExists(marker);

        HttpResponse<String> refused = server.get("/touch.php?fail=1");
        HttpResponse<String> next = server.get("/greeter.php");

        assertEquals(500, refused.statusCode());
        assertFalse(refused.body().contains("refused"), "no internals in the body: " + refused.body());
        assertFalse(Files.exists(marker), "PHP ran although an earlier observer failed");
        assertEquals(RequestOutcome.FAILED, awaitCompleted("/touch.php?fail=1").outcome());
        assertEquals(200, next.statusCode(), "the next request is not affected");
        assertEquals("Hello World", next.body());
    }

    @Test
    void withoutCdiTheBuiltInListenersStillServeStaticFilesAndForwardScripts() throws Exception {
        HttpResponse<String> css = server.get("/static/site.css");
        HttpResponse<String> php = server.get("/greeter.php?x=1");

        assertEquals(200, css.statusCode());
        assertTrue(css.headers().firstValue("ETag").isPresent());
        assertEquals("Hello World", php.body());
        RequestCompletedEvent staticDone = awaitCompleted("/static/site.css");
        RequestCompletedEvent phpDone = awaitCompleted("/greeter.php?x=1");
        assertEquals(RequestOutcome.STATIC, staticDone.outcome());
        assertEquals(Files.size(fpm.documentRoot().resolve("static/site.css")), staticDone.bytesOut());
        assertEquals(RequestOutcome.COMPLETED, phpDone.outcome());
        assertEquals(11, phpDone.bytesOut());
        assertEquals(200, phpDone.status());
        assertTrue(phpDone.timeToFirstByte() != null && !phpDone.timeToFirstByte().isNegative());
    }
}
