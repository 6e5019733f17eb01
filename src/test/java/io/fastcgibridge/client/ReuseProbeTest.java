package io.fastcgibridge.client;

import static io.fastcgibridge.testing.ScriptedFastCgiServer.concat;
import static io.fastcgibridge.testing.ScriptedFastCgiServer.getValuesResult;
import static io.fastcgibridge.testing.ScriptedFastCgiServer.response;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.ScriptedFastCgiServer;
import io.fastcgibridge.testing.ScriptedFastCgiServer.Behaviour;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reuse probe against servers that answer it as PHP-FPM does, late, early, never, or close the
 * connection instead: a request is never sent twice, never waits for a busy worker past the grace,
 * and a connection is reused only when its worker said it was free after the request.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ReuseProbeTest {

    private static final FastCgiRequest REQUEST = FastCgiRequest.get("/srv/x.php");
    private static final String OK = "Content-Type: text/plain\r\n\r\nok";

    private static FastCgiClient client(ScriptedFastCgiServer server, int maxConnections) {
        return new FastCgiClient(ClientSettings.builder().backends(server.address()).maxConnections(maxConnections)
                .ioThreads(1).readTimeout(Duration.ofSeconds(5)).build());
    }

    private static void sendTwenty(FastCgiClient client) throws FastCgiException {
        for (int i = 0; i < 20; i++) {
            assertEquals("ok", client.execute(REQUEST).bodyText(), "request " + i);
        }
    }

    @Test
    void aServerThatAnswersAsPhpFpmDoesKeepsOneConnection() throws Exception {
        try (ScriptedFastCgiServer server = ScriptedFastCgiServer.start(ScriptedFastCgiServer.respond(OK));
                FastCgiClient client = client(server, 4)) {
            sendTwenty(client);

            assertEquals(1, server.acceptedConnections());
            assertEquals(20, server.requests().size());
        }
    }

    @Test
    void aServerThatNeverAnswersGetsAConnectionPerRequestAfterTheGrace() throws Exception {
        try (ScriptedFastCgiServer server = ScriptedFastCgiServer.startIgnoringProbes(ScriptedFastCgiServer.respond(OK));
                FastCgiClient client = client(server, 1)) {
            long start = System.nanoTime();
            sendTwenty(client);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertEquals(20, server.acceptedConnections(), "an unconfirmed connection is never reused");
            assertEquals(20, server.requests().size());
            assertTrue(millis < 20 * 10 + 2_000, "20 requests took " + millis + " ms: more than the grace each");
        }
    }

    @Test
    void aServerThatClosesAfterTheRequestCostsNoRetry() throws Exception {
        Behaviour recycled = (request, out, socket) -> {
            out.write(response(request.requestId(), OK));
            socket.close(); // PHP-FPM's worker after pm.max_requests
        };
        try (ScriptedFastCgiServer server = ScriptedFastCgiServer.start(recycled);
                FastCgiClient client = client(server, 1)) {
            sendTwenty(client);

            assertEquals(20, server.requests().size(), "no request was sent twice");
            assertEquals(20, server.acceptedConnections());
        }
    }

    @Test
    void anAnswerBeforeTheEndOfTheRequestSaysNothingAndTheConnectionIsNotKept() throws Exception {
        Behaviour early = (request, out, socket) -> out.write(concat(getValuesResult(), response(request.requestId(), OK)));
        try (ScriptedFastCgiServer server = ScriptedFastCgiServer.startIgnoringProbes(early);
                FastCgiClient client = client(server, 1)) {
            sendTwenty(client);

            assertEquals(20, server.acceptedConnections());
        }
    }

    @Test
    void aLateAnswerLetsTheNextRequestGoElsewhereAndTheLateConnectionNeverServesTwoAtOnce() throws Exception {
        Behaviour tail = (request, out, socket) -> {
            out.write(response(request.requestId(), OK));
            out.flush();
            if (request.params().getOrDefault("QUERY_STRING", "").equals("tail")) {
                sleep(1_500); // fastcgi_finish_request() and more work: the probe is read only after it
            }
        };
        try (ScriptedFastCgiServer server = ScriptedFastCgiServer.start(tail);
                FastCgiClient client = client(server, 1)) {
            assertEquals("ok", client.execute(REQUEST.withUri("/x.php?tail")).bodyText());

            long start = System.nanoTime();
            assertEquals("ok", client.execute(REQUEST).bodyText());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            sleep(2_000); // the tail ends and its connection answers: the pool already has one, so it is closed
            sendTwenty(client);

            assertTrue(millis < 1_000, "the request after the tail waited " + millis + " ms for the busy worker");
            assertEquals(2, server.acceptedConnections(), "the tail's connection, then one more, kept from then on");
            assertEquals(22, server.requests().size());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
