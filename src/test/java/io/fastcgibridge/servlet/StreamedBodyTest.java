package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.protocol.RecordDecoder;
import io.fastcgibridge.testing.AccessLogFile;
import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import io.fastcgibridge.testing.RawConnection;
import io.fastcgibridge.testing.ScriptedFastCgiServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code request-buffering off}: the body goes to PHP-FPM as it arrives. When it breaks off, the
 * client gets a 400 and PHP-FPM never gets the end of the body: the connection is closed without
 * the empty STDIN record. (PHP-FPM 8.2 runs the script all the same, with the bytes it got; that
 * is why buffering is the default.)
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamedBodyTest {

    @Test
    void aStreamedUploadReachesPhpIntact(PhpFpm fpm) throws Exception {
        byte[] body = new byte[3 << 20];
        new Random(17).nextBytes(body);
        try (BridgeServer bridge = BridgeServer.start(fpm, Map.of("request-buffering", "off"))) {
            HttpResponse<String> response = bridge.http().send(bridge.request("/md5.php")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(RequestForwardingTest.md5(body) + " " + body.length, response.body());
        }
    }

    @Test
    void aStreamedUploadCutShortIs400AndPhpFpmNeverGetsItsEnd(PhpFpm fpm) throws Exception {
        StdinRecords stdin = new StdinRecords();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        AccessLogFile log = new AccessLogFile(Files.createTempFile("streamed", ".log"));
        try (ScriptedFastCgiServer backend = ScriptedFastCgiServer.startRaw(socket -> {
                RecordDecoder decoder = new RecordDecoder(stdin);
                byte[] buffer = new byte[4096];
                for (int n; (n = socket.getInputStream().read(buffer)) >= 0; ) {
                    decoder.decode(ByteBuffer.wrap(buffer, 0, n));
                }
                closed.complete(null);
            });
                BridgeServer bridge = BridgeServer.start(Map.of("docroot", List.of(fpm.documentRoot().toString()),
                        "fpm", List.of(backend.address()), "request-buffering", List.of("off"),
                        "access-log", List.of(log.path().toString())))) {
            String answer;
            try (RawConnection client = RawConnection.open(bridge.port())) {
                client.send("POST /touch.php HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
                        + "\r\nContent-Length: 200\r\n\r\nwho=Agent!");
                stdin.arrived.get(10, TimeUnit.SECONDS);
                client.halfClose();
                answer = client.readAll();
            }

            // Tomcat may close the connection when it sees the body end early, before any answer:
            // nginx then sends nothing either, and logs 400.
            assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 400"), answer);
            assertEquals("400", log.statusAndBytes("POST /touch.php HTTP/1.1").split(" ")[0]);
            closed.get(10, TimeUnit.SECONDS);
            assertEquals(10, stdin.bytes, "the bytes that came");
            assertEquals(0, stdin.emptyRecords, "an empty STDIN record would tell PHP the body is whole");
        } finally {
            Files.deleteIfExists(log.path());
        }
    }

    /** The STDIN records a backend received; {@link #arrived} once body bytes came. */
    private static final class StdinRecords implements RecordDecoder.Listener {
        final CompletableFuture<Void> arrived = new CompletableFuture<>();
        volatile int bytes;
        volatile int emptyRecords;

        @Override
        public boolean onStdin(int id, ByteBuffer content) {
            bytes += content.remaining();
            emptyRecords += content.hasRemaining() ? 0 : 1;
            if (bytes > 0) {
                arrived.complete(null);
            }
            return true;
        }
    }
}
