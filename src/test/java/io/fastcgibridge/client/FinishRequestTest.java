package io.fastcgibridge.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code fastcgi_finish_request()} (Symfony calls it on every response) makes PHP-FPM send
 * END_REQUEST while the script goes on, and nothing on the wire says when the worker is free again.
 * A kept connection is busy behind that tail, so the front does not keep connections by default (as
 * nginx): the next requests go to idle workers at once. Four PHP-FPM workers here.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FinishRequestTest {

    @Test
    void byDefaultTheNextRequestsAreAnsweredWhileAFinishedScriptStillWorks(PhpFpm fpm) throws Exception {
        try (BridgeServer bridge = BridgeServer.start(fpm, Map.of("max-connections", "4"))) {
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

    @Test
    void withKeepaliveOnTheNextRequestWaitsOnTheKeptConnectionForTheScriptToEnd(PhpFpm fpm) throws Exception {
        try (BridgeServer bridge = BridgeServer.start(fpm, Map.of("max-connections", "4", "keepalive", "on"))) {
            assertEquals("answered", bridge.get("/finish-request.php?s=4").body());

            long start = System.nanoTime();
            HttpResponse<String> next = bridge.get("/greeter.php");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertEquals("Hello World", next.body());
            assertTrue(millis >= 2_500, "the next request took " + millis
                    + " ms; on the kept connection it waits for the script's 4 s tail, while 3 workers are idle");
        }
    }
}
