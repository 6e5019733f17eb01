package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.event.EventListeners;
import io.fastcgibridge.event.Priorities;
import io.fastcgibridge.event.RequestCompletedEvent;
import io.fastcgibridge.testing.AccessLogFile;
import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import io.fastcgibridge.testing.RawConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A body that does not arrive whole never runs PHP and gets a 400, and the access log and
 * {@link RequestCompletedEvent} always say what the client actually got: 400 for a truncated or
 * malformed body, 499 (nginx's convention) for a client that went away before any answer.
 */
@ExtendWith(PhpFpmExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HonestAccessLogTest {

    private final List<RequestCompletedEvent> completed = new CopyOnWriteArrayList<>();
    private PhpFpm fpm;
    private BridgeServer bridge;
    private AccessLogFile log;
    private Path marker;

    @BeforeAll
    void start(PhpFpm fpm) throws Exception {
        this.fpm = fpm;
        log = new AccessLogFile(Files.createTempFile("honest-access", ".log"));
        bridge = BridgeServer.start(fpm, Map.of("access-log", log.path().toString()));
        ((EventListeners) bridge.events()).register(RequestCompletedEvent.class, Priorities.DEFAULT,
                completed::add);
        marker = fpm.documentRoot().resolve("../php-ran.marker").normalize();
    }

    @AfterAll
    void stop() throws Exception {
        bridge.close();
        Files.deleteIfExists(log.path());
    }

    @BeforeEach
    void noMarker() throws Exception {
        Files.deleteIfExists(marker);
    }

    @Test
    void anUploadCutShortNeverRunsTheScriptAndIsAnswered400() throws Exception {
        String answer;
        try (RawConnection client = RawConnection.open(bridge.port())) {
            client.send("POST /touch.php?short HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
                    + "\r\nContent-Length: 200\r\n\r\nwho=Agent!").halfClose();
            answer = client.readAll();
        }

        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertEquals("400 16", log.statusAndBytes("POST /touch.php?short HTTP/1.1"));
        assertEquals(400, event("/touch.php?short").status());
        assertFalse(Files.exists(marker), "the script ran on 10 of 200 bytes");
    }

    @Test
    void aMalformedChunkedBodyIsAnswered400() throws Exception {
        String answer;
        try (RawConnection client = RawConnection.open(bridge.port())) {
            client.send("POST /touch.php?chunks HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\nabc\r\n0\r\n\r\n");
            answer = client.readAll();
        }

        assertTrue(answer.startsWith("HTTP/1.1 400"), "an empty reply, or: " + answer);
        assertEquals("400 16", log.statusAndBytes("POST /touch.php?chunks HTTP/1.1"));
        assertEquals(400, event("/touch.php?chunks").status());
        assertFalse(Files.exists(marker), "the script ran on a malformed body");
    }

    @Test
    void aClientThatResetsWhileUploadingIsLogged499() throws Exception {
        try (RawConnection client = RawConnection.open(bridge.port())) {
            client.send("POST /touch.php?reset HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\npart of it");
            Thread.sleep(200);
            client.reset();
        }

        assertEquals("499 -", log.statusAndBytes("POST /touch.php?reset HTTP/1.1"));
        assertEquals(RequestOutcome.ABORTED, event("/touch.php?reset").outcome());
        assertFalse(Files.exists(marker));
    }

    @Test
    void aClientThatResetsWhilePhpWorksIsLogged499() throws Exception {
        try (RawConnection client = RawConnection.open(bridge.port())) {
            client.send("GET /sleep.php?s=1 HTTP/1.1\r\nHost: x\r\n\r\n");
            Thread.sleep(200);
            client.reset();
        }

        assertEquals("499 -", log.statusAndBytes("GET /sleep.php?s=1 HTTP/1.1"));
        assertEquals(499, event("/sleep.php?s=1").status());
    }

    private RequestCompletedEvent event(String uri) throws InterruptedException {
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
}
