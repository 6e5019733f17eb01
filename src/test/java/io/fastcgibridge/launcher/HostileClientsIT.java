package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import io.fastcgibridge.testing.ServeProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The launcher at {@code -Xmx64m} against clients that hold connections open without ever
 * finishing their request head (a slowloris): it goes on serving everyone else, and SIGTERM still
 * stops it.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(180)
class HostileClientsIT {

    private static final Path JAR = Path.of(System.getProperty("launcher.jar", "target/fastcgi-bridge.jar"));
    private static final int HALF_SENT_HEADS = 2_000;
    private static final Duration HOLD = Duration.ofSeconds(10);
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    private static final Duration STOP_WITHIN = Duration.ofSeconds(15);
    private static final byte[] HALF_A_HEAD = "GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void twoThousandHalfSentHeadsLeaveA64MebibyteServerServingAndSigtermStopsIt(PhpFpm fpm) throws Exception {
        List<Socket> slowloris = new ArrayList<>();
        try (ServeProcess serve = ServeProcess.start(JAR, List.of("-Xmx64m"), List.of("--docroot",
                fpm.documentRoot().toString(), "--fpm", fpm.unixAddress(), "--port", "0", "--max-connections", "4"))) {
            HttpClient keptAlive = HttpClient.newBuilder().connectTimeout(ANSWER_WITHIN).build();
            for (int i = 0; i < HALF_SENT_HEADS; i++) {
                slowloris.add(halfSentHead(serve, i));
            }

            long holdUntil = System.nanoTime() + HOLD.toNanos();
            int answered = 0;
            while (System.nanoTime() - holdUntil < 0) {
                assertGreets(getOnANewConnection(serve), serve);
                HttpResponse<String> response = keptAlive.send(HttpRequest.newBuilder(
                        URI.create(serve.base() + "/greeter.php")).timeout(ANSWER_WITHIN).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), diagnostics(serve));
                assertEquals("Hello World", response.body());
                answered += 2;
                Thread.sleep(250);
            }
            assertTrue(answered >= 10, "only " + answered + " requests in " + HOLD.toSeconds() + " s");

            long stopping = System.nanoTime();
            serve.process().destroy();
            assertTrue(serve.process().waitFor(STOP_WITHIN.toSeconds(), TimeUnit.SECONDS),
                    "SIGTERM did not stop the launcher within " + STOP_WITHIN.toSeconds() + " s\n" + diagnostics(serve));
            assertEquals(0, serve.process().exitValue(), diagnostics(serve));
            System.out.printf("HostileClientsIT: %d requests answered during the hold, stopped %d ms after SIGTERM%n",
                    answered, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping));
            assertTrue(serve.output().stream().noneMatch(line -> line.contains("OutOfMemoryError")), diagnostics(serve));
        } finally {
            for (Socket socket : slowloris) {
                socket.close();
            }
        }
    }

    private static Socket halfSentHead(ServeProcess serve, int index) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), serve.port()),
                    (int) ANSWER_WITHIN.toMillis());
            socket.getOutputStream().write(HALF_A_HEAD);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw new AssertionError("connection " + index + " of " + HALF_SENT_HEADS + " failed: " + e
                    + "\n" + diagnostics(serve), e);
        }
    }

    /** A request on a connection of its own, as a new visitor's: it goes through the gate. */
    private static String getOnANewConnection(ServeProcess serve) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), serve.port()),
                    (int) ANSWER_WITHIN.toMillis());
            socket.setSoTimeout((int) ANSWER_WITHIN.toMillis());
            socket.getOutputStream().write(("GET /greeter.php HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            fail("a new visitor got no answer within " + ANSWER_WITHIN.toSeconds() + " s: " + e + "\n"
                    + diagnostics(serve));
            throw e;
        }
    }

    private static void assertGreets(String response, ServeProcess serve) {
        assertTrue(response.startsWith("HTTP/1.1 200 ") && response.contains("\r\n\r\n") && response.contains("Hello World"),
                response + "\n" + diagnostics(serve));
    }

    private static String diagnostics(ServeProcess serve) {
        List<String> output = serve.output();
        return String.join("\n", output.subList(Math.max(0, output.size() - 60), output.size()));
    }
}
