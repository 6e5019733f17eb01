package io.fastcgibridge.event;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.servlet.BridgeConfig;
import io.fastcgibridge.servlet.BridgeOption;
import io.fastcgibridge.servlet.Resolution;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Observers tested as a user tests theirs: a {@link RequestEvent} from {@link RequestEvent#builder},
 * a hand-written request and a recording response, the observer called as a plain method, and then
 * what its decision did: the answer the client would get, and whether later observers (and PHP) run.
 */
@Timeout(10)
class RequestEventBuilderTest {

    /** A user's observer: 503 for everything while a header says the site is down. */
    static final class MaintenanceGate {
        void onRequest(RequestEvent event) throws IOException {
            if ("on".equals(event.request().getHeader("X-Maintenance"))) {
                event.response().setHeader("Retry-After", "60");
                event.respond(503, "text/plain;charset=UTF-8", "down for maintenance\n");
            }
        }
    }

    /** A user's observer: scripts under /uploads/ never run; they are refused as missing. */
    static final class NoScriptsInUploads {
        void onRequest(RequestEvent event) throws IOException {
            if (event.resolution() instanceof Resolution.Script script && script.scriptName().startsWith("/uploads/")) {
                event.answer(new Resolution.NotFound());
            }
        }
    }

    /** A user's observer: {@code /robots.txt} comes from a file kept beside the document root. */
    static final class RobotsFromSharedFolder {
        void onRequest(RequestEvent event) throws IOException {
            if ("/robots.txt".equals(event.request().getRequestURI())) {
                event.serveFile(event.documentRoot().resolveSibling("shared").resolve("robots.txt"));
            }
        }
    }

    @Test
    void theMaintenanceObserverAnswers503AndNoLaterObserverRuns() throws IOException {
        RecordingExchange exchange = new RecordingExchange("GET", "/index.php", Map.of("X-Maintenance", "on"));
        RequestEvent event = RequestEvent.builder(exchange.request, exchange.response).build();

        new MaintenanceGate().onRequest(event);

        assertAll(
                () -> assertEquals(503, exchange.status),
                () -> assertEquals("text/plain;charset=UTF-8", exchange.contentType),
                () -> assertEquals("60", exchange.headers.get("Retry-After")),
                () -> assertEquals("down for maintenance\n", exchange.body()),
                () -> assertTrue(event.isPropagationStopped(), "the forwarding listener would still run"),
                () -> assertFalse(event.isForwarded()));
    }

    @Test
    void withoutTheHeaderTheMaintenanceObserverLeavesTheRequestToTheNextObservers() throws IOException {
        RecordingExchange exchange = new RecordingExchange("GET", "/index.php", Map.of());
        RequestEvent event = RequestEvent.builder(exchange.request, exchange.response).build();

        new MaintenanceGate().onRequest(event);

        assertAll(
                () -> assertFalse(event.isPropagationStopped()),
                () -> assertEquals("", exchange.body()),
                () -> assertTrue(exchange.headers.isEmpty(), exchange.headers.toString()));
    }

    @Test
    void aScriptUnderUploadsIsAnsweredWithoutPhpAndAnotherIsLeftToBeForwarded(@TempDir Path docroot)
            throws IOException {
        RecordingExchange upload = new RecordingExchange("GET", "/uploads/shell.php", Map.of());
        RequestEvent refused = RequestEvent.builder(upload.request, upload.response)
                .resolution(new Resolution.Script(docroot.resolve("uploads/shell.php"), "/uploads/shell.php", ""))
                .build();
        RecordingExchange index = new RecordingExchange("GET", "/index.php", Map.of());
        RequestEvent allowed = RequestEvent.builder(index.request, index.response)
                .resolution(new Resolution.Script(docroot.resolve("index.php"), "/index.php", ""))
                .build();

        new NoScriptsInUploads().onRequest(refused);
        new NoScriptsInUploads().onRequest(allowed);

        assertAll(
                () -> assertTrue(refused.isPropagationStopped(), "PHP would run the upload"),
                () -> assertFalse(refused.isForwarded()),
                () -> assertFalse(allowed.isPropagationStopped(), "the forwarding listener would not run"));
    }

    @Test
    void aFileServedByAnObserverCountsAsStaticAndStopsPropagation(@TempDir Path site) throws IOException {
        Path docroot = Files.createDirectories(site.resolve("public"));
        Files.createDirectories(site.resolve("shared"));
        BridgeConfig config = BridgeConfig.from(option -> option == BridgeOption.DOCROOT ? List.of(docroot.toString())
                : option == BridgeOption.FPM ? List.of("tcp://127.0.0.1:9000") : List.of());
        RecordingExchange exchange = new RecordingExchange("GET", "/robots.txt", Map.of());
        RequestEvent event = RequestEvent.builder(exchange.request, exchange.response).config(config).build();

        new RobotsFromSharedFolder().onRequest(event);

        assertAll(
                () -> assertTrue(event.isServedFile(), "the access log would not say STATIC"),
                () -> assertTrue(event.isPropagationStopped()),
                () -> assertEquals(docroot.toRealPath(), event.documentRoot().toRealPath()));
    }
}
