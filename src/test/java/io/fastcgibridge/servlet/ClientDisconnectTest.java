package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import io.fastcgibridge.testing.PhpFpmPool;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An HTTP client that goes away mid-download must not keep a PHP-FPM worker busy: with one worker
 * and one connection, the next request is served at once instead of waiting for a 200 MiB script.
 */
@ExtendWith(PhpFpmExtension.class)
@PhpFpmPool(maxChildren = 1)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientDisconnectTest {

    private static final int MIB = 1 << 20;

    @Test
    void aClientThatHangsUpMidDownloadFreesTheOnlyWorkerAtOnce(PhpFpm fpm) throws Exception {
        try (BridgeServer bridge = BridgeServer.start(fpm, Map.of(
                "max-connections", "1", "pool-wait-timeout", "2s"))) {
            long hungUp;
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), bridge.port())) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write("GET /big.php?mib=200 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[64 << 10];
                String statusLine = null;
                long received = 0;
                while (received < MIB) {
                    int n = in.read(buffer);
                    assertTrue(n > 0, "the download ended after " + received + " bytes");
                    if (statusLine == null) {
                        String start = new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                        statusLine = start.substring(0, Math.max(0, start.indexOf("\r\n")));
                        assertEquals("HTTP/1.1 200", statusLine.substring(0, Math.min(12, statusLine.length())),
                                "the download's status line");
                    }
                    received += n;
                }
                socket.setSoLinger(true, 0); // closing now sends a reset: an abrupt hang-up
                hungUp = System.nanoTime();
            }

            HttpResponse<String> next = bridge.get("/greeter.php");
            Duration took = Duration.ofNanos(System.nanoTime() - hungUp);

            assertEquals(200, next.statusCode(), next.body());
            assertEquals("Hello World", next.body());
            assertTrue(took.toMillis() < 3_000, "the next request waited " + took.toMillis()
                    + " ms: the worker was not freed when the client hung up");
        }
    }
}
