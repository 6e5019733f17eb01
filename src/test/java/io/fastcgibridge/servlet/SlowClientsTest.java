package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.OpenFiles;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import io.fastcgibridge.testing.PhpFpmPool;
import io.fastcgibridge.testing.RawConnection;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client slower than PHP never holds a PHP-FPM worker: with one worker and one connection to
 * it, another request is served at once while an upload trickles in or a download is read slowly,
 * and the slow client still gets every byte. Temporary files are freed however a request ends.
 */
@ExtendWith(PhpFpmExtension.class)
@PhpFpmPool(maxChildren = 1)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowClientsTest {

    private static final int MIB = 1 << 20;

    private BridgeServer bridge;

    @BeforeAll
    void start(PhpFpm fpm) {
        bridge = BridgeServer.start(fpm, Map.of("max-connections", "1", "pool-wait-timeout", "2s"));
    }

    @AfterAll
    void stop() {
        bridge.close();
    }

    @Test
    void anUploadTricklingInDoesNotHoldTheOnlyWorker() throws Exception {
        byte[] body = new byte[4000];
        new Random(11).nextBytes(body);
        try (RawConnection uploader = RawConnection.open(bridge.port())) {
            uploader.send("POST /md5.php HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n");
            uploader.send(body, 0, 1000);
            Thread.sleep(300);

            long start = System.nanoTime();
            HttpResponse<String> other = bridge.get("/greeter.php");
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            uploader.send(body, 1000, body.length - 1000);
            String upload = uploader.readAll();
            assertEquals(200, other.statusCode(), other.body());
            assertEquals("Hello World", other.body());
            assertTrue(tookMillis < 1500, "the other request waited " + tookMillis + " ms for the uploader's worker");
            assertTrue(upload.startsWith("HTTP/1.1 200"), upload);
            assertTrue(upload.endsWith(RequestForwardingTest.md5(body) + " " + body.length), upload);
        }
    }

    @Test
    void aDownloadReadSlowlyDoesNotHoldTheOnlyWorker() throws Exception {
        int mib = 16;
        // A small receive buffer, so that the kernel cannot take the whole response for the client.
        try (RawConnection reader = RawConnection.open(bridge.port(), 16 * 1024)) {
            reader.send("GET /big.php?mib=" + mib + " HTTP/1.0\r\nHost: x\r\n\r\n");
            String head = reader.readHead();
            assertTrue(head.startsWith("HTTP/1.1 200"), head);

            long start = System.nanoTime();
            HttpResponse<String> other = bridge.get("/greeter.php");
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            long received = readPattern(reader.in());
            assertEquals(200, other.statusCode(), other.body());
            assertTrue(tookMillis < 1500, "the other request waited " + tookMillis + " ms for the reader's worker");
            assertEquals((long) mib * MIB, received, "every byte of the download, in order");
        }
    }

    @Test
    void temporaryFilesAreFreedWhenRequestsEndWellOrBadly() throws Exception {
        assumeTrue(OpenFiles.listable(), "needs /proc/self/fd");
        try (RawConnection gone = RawConnection.open(bridge.port(), 16 * 1024)) {
            gone.send("GET /big.php?mib=8 HTTP/1.0\r\nHost: x\r\n\r\n");
            gone.readHead();
            Thread.sleep(500);
            assertTrue(OpenFiles.count("/" + SpoolFiles.PREFIX) > 0, "the download was spooled to a file");
            gone.reset();
        }
        try (RawConnection broken = RawConnection.open(bridge.port())) {
            broken.send("POST /md5.php HTTP/1.1\r\nHost: x\r\nContent-Length: " + MIB + "\r\n\r\n");
            broken.send(new byte[300_000]);
            Thread.sleep(300);
            broken.halfClose();
            assertTrue(broken.readAll().startsWith("HTTP/1.1 400"));
        }
        byte[] upload = new byte[MIB];
        HttpResponse<String> whole = bridge.http().send(bridge.request("/md5.php")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(upload)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(RequestForwardingTest.md5(upload) + " " + upload.length, whole.body());

        assertEquals(0, OpenFiles.awaitNone("/" + SpoolFiles.PREFIX, 10), "temporary files still open");
    }

    /** Reads a big.php body to its end, checking each byte; returns how many came. */
    private static long readPattern(InputStream in) throws Exception {
        byte[] buffer = new byte[64 * 1024];
        long offset = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            for (int i = 0; i < n; i++) {
                if ((buffer[i] & 0xFF) != (offset + i) % 251) {
                    throw new AssertionError("byte " + (offset + i) + " is wrong");
                }
            }
            offset += n;
        }
        return offset;
    }
}
