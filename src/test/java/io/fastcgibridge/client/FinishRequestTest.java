package io.fastcgibridge.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code fastcgi_finish_request()} (Symfony calls it on every response) makes PHP-FPM send
 * END_REQUEST while the script goes on, and nothing in the response says when the worker is free
 * again. A kept connection is reused only once PHP-FPM answered the probe sent behind the request,
 * which its worker reads when it comes back: the next requests go to idle workers at once, and a
 * connection is still kept when the worker is free. Four PHP-FPM workers here.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FinishRequestTest {

    @ParameterizedTest(name = "keepalive {0}")
    @ValueSource(strings = {"on", "off"})
    void theNextRequestsAreAnsweredWhileAFinishedScriptStillWorks(String keepalive, PhpFpm fpm) throws Exception {
        try (BridgeServer bridge = BridgeServer.start(fpm, Map.of("max-connections", "4", "keepalive", keepalive))) {
            assertEquals("Hello World", bridge.get("/greeter.php").body(), "a connection to reuse, if kept");
            HttpResponse<String> finished = bridge.get("/finish-request.php?s=5");
            assertEquals("answered", finished.body());

            long start = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> next = bridge.get("/greeter.php");
                assertEquals(200, next.statusCode(), next.body());
                assertEquals("Hello World", next.body());
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertTrue(millis < 2_500, "three requests took " + millis
                    + " ms: one waited behind the 5 s that the script works after fastcgi_finish_request()");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"unix", "tcp"})
    void withOneConnectionTheNextRequestDoesNotWaitForTheTailEither(String transport, PhpFpm fpm) throws Exception {
        try (FastCgiClient client = new FastCgiClient(ClientSettings.forBackends(address(transport, fpm)).toBuilder()
                .maxConnections(1).build())) {
            assertEquals("answered", client.execute(FastCgiRequest.get(fpm.script("finish-request.php"))
                    .withUri("/finish-request.php?s=4")).bodyText());

            long start = System.nanoTime();
            FastCgiResponse next = client.execute(FastCgiRequest.get(fpm.script("greeter.php")));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertEquals("Hello World", next.bodyText());
            assertTrue(millis < 1_000, "the next request took " + millis + " ms: it waited for the busy worker"
                    + " instead of taking the place that worker's connection left after its grace");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"unix", "tcp"})
    void aConnectionWhoseWorkerIsFreeIsKept(String transport, PhpFpm fpm) throws Exception {
        try (FastCgiClient client = new FastCgiClient(ClientSettings.forBackends(address(transport, fpm)).toBuilder()
                .maxConnections(4).build())) {
            Set<String> workers = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                workers.add(client.execute(FastCgiRequest.get(fpm.script("pid.php"))).bodyText().trim());
            }

            assertEquals(1, workers.size(), "one after another, 20 requests on one kept connection reach one worker: "
                    + workers);
        }
    }

    @Test
    void withoutTheProbeTheNextRequestWaitsOnTheKeptConnectionForTheScriptToEnd(PhpFpm fpm) throws Exception {
        try (FastCgiClient client = new FastCgiClient(ClientSettings.forBackends(fpm.unixAddress()).toBuilder()
                .maxConnections(4).verifyReuse(false).build())) {
            assertEquals("answered", client.execute(FastCgiRequest.get(fpm.script("finish-request.php"))
                    .withUri("/finish-request.php?s=4")).bodyText());

            long start = System.nanoTime();
            FastCgiResponse next = client.execute(FastCgiRequest.get(fpm.script("greeter.php")));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertEquals("Hello World", next.bodyText());
            assertTrue(millis >= 2_500, "the next request took " + millis
                    + " ms; unverified, the kept connection makes it wait for the script's 4 s tail, while 3 workers"
                    + " are idle (the hazard the probe removes)");
        }
    }

    @Test
    void keepaliveUnverifiedReusesAConnectionWithoutAskingAsNginxDoes(PhpFpm fpm) throws Exception {
        try (BridgeServer bridge = BridgeServer.start(fpm, Map.of("max-connections", "4", "keepalive", "unverified"))) {
            assertEquals("answered", bridge.get("/finish-request.php?s=4").body());

            long start = System.nanoTime();
            HttpResponse<String> next = bridge.get("/greeter.php");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertEquals("Hello World", next.body());
            assertTrue(millis >= 2_500, "the next request took " + millis + " ms; with keepalive unverified it goes"
                    + " to the kept connection at once and waits there for the script's 4 s tail");
        }
    }

    private static String address(String transport, PhpFpm fpm) {
        return transport.equals("tcp") ? fpm.tcpAddress() : fpm.unixAddress();
    }
}
