package io.fastcgibridge.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.client.FastCgiException.Code;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import io.fastcgibridge.testing.PhpFpmPool;
import io.fastcgibridge.testing.PhpFpmSettings;
import io.fastcgibridge.testing.RefusingPort;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(PhpFpmExtension.class)
@PhpFpmPool(maxChildren = 2)
class BackendFailureTest {

    @Test
    void aPortNobodyListensOnIsConnectRefused() throws Exception {
        try (RefusingPort refusing = new RefusingPort()) {
            FastCgiException failure = assertThrows(FastCgiException.class,
                    () -> FastCgiClient.call(refusing.address(), "/srv/greeter.php", Map.of()));

            assertEquals(Code.CONNECT_REFUSED, failure.code());
            assertEquals(1, failure.getCode());
            assertTrue(failure.getMessage().contains(refusing.address()), failure.getMessage());
        }
    }

    @Test
    void aMissingSocketFileIsConnectRefusedNamingThePath(@TempDir Path dir) {
        String socket = dir.resolve("no-such.sock").toString();

        FastCgiException failure = assertThrows(FastCgiException.class,
                () -> FastCgiClient.call("unix://" + socket, "/srv/greeter.php", Map.of()));

        assertEquals(Code.CONNECT_REFUSED, failure.code());
        assertTrue(failure.getMessage().contains("no socket at " + socket), failure.getMessage());
    }

    @Test
    void phpFpmKilledMidRequestIsAConnectionResetNotATruncatedSuccess() throws Exception {
        try (PhpFpm doomed = PhpFpm.start(PhpFpmSettings.defaults().withMaxChildren(1));
             FastCgiClient client = new FastCgiClient(ClientSettings.forBackends(doomed.unixAddress()))) {
            StartedSink sink = new StartedSink();
            client.send(FastCgiRequest.get(doomed.script("flush-sleep.php")).withUri("/flush-sleep.php?s=30"), sink);
            sink.started.get(10, TimeUnit.SECONDS);

            doomed.kill();

            FastCgiException failure = assertThrows(FastCgiException.class, () -> {
                try {
                    sink.failure.get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause();
                }
            });
            assertEquals(Code.CONNECTION_RESET, failure.code());
            assertEquals(false, sink.completed, "a killed worker must not look like a complete response");
        }
    }

    @Test
    void aSlowScriptTimesOutAndItsConnectionIsFreedForTheNextRequest(PhpFpm fpm) throws Exception {
        ClientSettings settings = ClientSettings.forBackends(fpm.unixAddress()).toBuilder()
                .maxConnections(1)
                .readTimeout(Duration.ofSeconds(1))
                .build();
        try (FastCgiClient client = new FastCgiClient(settings)) {
            long start = System.nanoTime();
            FastCgiException failure = assertThrows(FastCgiException.class,
                    () -> client.execute(FastCgiRequest.get(fpm.script("sleep.php")).withUri("/sleep.php?s=5")));
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertEquals(Code.READ_TIMEOUT, failure.code());
            assertTrue(waited >= 900 && waited < 3000, "timed out after " + waited + " ms");
            // The only connection slot was given back at once: the next request is answered by the
            // other worker without waiting for the sleeping one.
            FastCgiResponse next = assertTimeoutPreemptively(Duration.ofSeconds(2),
                    () -> client.execute(FastCgiRequest.get(fpm.script("greeter.php"))));
            assertEquals("Hello World", next.bodyText());
        }
    }

    @Test
    void aRequestTimeoutBoundsTheWholeRequest(PhpFpm fpm) throws Exception {
        ClientSettings settings = ClientSettings.forBackends(fpm.tcpAddress()).toBuilder()
                .requestTimeout(Duration.ofMillis(700))
                .build();
        try (FastCgiClient client = new FastCgiClient(settings)) {
            FastCgiException failure = assertThrows(FastCgiException.class,
                    () -> client.execute(FastCgiRequest.get(fpm.script("flush-sleep.php")).withUri("/f.php?s=3")));

            assertEquals(Code.REQUEST_TIMEOUT, failure.code());
        }
    }

    /** Notes when the first body bytes arrive, and how the response ends. */
    private static final class StartedSink implements ResponseSink {
        final CompletableFuture<Void> started = new CompletableFuture<>();
        final CompletableFuture<Void> failure = new CompletableFuture<>();
        volatile boolean completed;

        @Override
        public void onHeaders(ResponseHead head) {
        }

        @Override
        public boolean onBody(ByteBuffer chunk) {
            started.complete(null);
            return true;
        }

        @Override
        public void onComplete(int appStatus) {
            completed = true;
            failure.complete(null);
        }

        @Override
        public void onFailure(FastCgiException e) {
            failure.completeExceptionally(e);
        }
    }
}
