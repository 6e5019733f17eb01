package io.fastcgibridge.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionReuseTest {

    static String address(PhpFpm fpm, String transport) {
        return transport.equals("unix") ? fpm.unixAddress() : fpm.tcpAddress();
    }

    @Nested
    @ExtendWith(PhpFpmExtension.class)
    class WithFourWorkers {

        @ParameterizedTest
        @ValueSource(strings = {"unix", "tcp"})
        void twoHundredConcurrentRequestsThroughFourConnectionsAllGetTheirOwnAnswer(String transport, PhpFpm fpm)
                throws Exception {
            ClientSettings settings = ClientSettings.forBackends(address(fpm, transport)).toBuilder()
                    .maxConnections(4).build();
            try (FastCgiClient client = new FastCgiClient(settings)) {
                List<CompletableFuture<FastCgiResponse>> responses = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    responses.add(client.executeAsync(
                            FastCgiRequest.post(fpm.script("greeter.php"), Map.of("who", "caller " + i))));
                }
                for (int i = 0; i < 200; i++) {
                    assertEquals("Hello caller " + i, responses.get(i).get(30, TimeUnit.SECONDS).bodyText());
                }
            }
        }
    }

    @Nested
    @ExtendWith(PhpFpmExtension.class)
    @io.fastcgibridge.testing.PhpFpmPool(maxChildren = 2, maxRequests = 1)
    class WhenEveryWorkerIsRecycledAfterOneRequest {

        @ParameterizedTest
        @ValueSource(strings = {"unix", "tcp"})
        void fiveHundredSequentialKeptAliveRequestsAllSucceed(String transport, PhpFpm fpm) throws Exception {
            try (FastCgiClient client = new FastCgiClient(ClientSettings.forBackends(address(fpm, transport)))) {
                for (int i = 0; i < 500; i++) {
                    FastCgiResponse response = client.execute(
                            FastCgiRequest.post(fpm.script("greeter.php"), Map.of("who", "#" + i)));
                    assertEquals("Hello #" + i, response.bodyText());
                }
            }
        }
    }
}
