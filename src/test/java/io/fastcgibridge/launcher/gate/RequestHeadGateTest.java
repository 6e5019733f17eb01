package io.fastcgibridge.launcher.gate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The request-head gate on a loopback socket, with real clients and a clock moved by hand: what
 * passes (whole heads, with the bytes behind them), what is refused (414, 431, 408) and what is
 * closed (the oldest waiting connection when the gate is full).
 */
@Timeout(30)
class RequestHeadGateTest {

    private static final int MAX_HEAD = 1024;
    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(60);

    private final AtomicLong clock = new AtomicLong(System.nanoTime());
    private final List<Socket> clients = new ArrayList<>();
    private ServerSocketChannel server;
    private RequestHeadGate gate;

    @AfterEach
    void close() throws IOException {
        for (Socket client : clients) {
            client.close();
        }
        if (gate != null) {
            gate.close();
        }
        server.close();
    }

    @Test
    void aHeadSentInPiecesPassesWholeWithTheBytesBehindIt() throws Exception {
        start(16, 1 << 20);
        Socket client = connect();
        String firstPiece = "POST /upload.php HTTP/1.1\r\nHost: x\r\nContent-Le";
        send(client, firstPiece);
        awaitBuffered(firstPiece.length());
        assertNull(gate.take(0, TimeUnit.MILLISECONDS), "a partial head was let through");
        send(client, "ngth: 5\r\n\r\nhel");
        GatedConnection passed = gate.take(5, TimeUnit.SECONDS);
        assertNotNull(passed, "a whole head was held back");
        assertEquals("POST /upload.php HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhel", text(passed.received()));
        send(client, "lo");
        ByteBuffer rest = ByteBuffer.allocate(2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (rest.hasRemaining() && System.nanoTime() - deadline < 0) {
            if (passed.channel().read(rest) == 0) {
                Thread.sleep(5);
            }
        }
        assertArrayEquals("lo".getBytes(StandardCharsets.ISO_8859_1), rest.array(), "the body's rest is the socket's");
        passed.channel().close();
    }

    @Test
    void aHeadLargerThanTheLimitIsAnswered431AndNeverPasses() throws Exception {
        start(16, 1 << 20);
        Socket client = connect();
        send(client, "GET / HTTP/1.1\r\nCookie: " + "a".repeat(MAX_HEAD) + "\r\n\r\n");
        assertTrue(readAll(client).startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
        assertNull(gate.take(0, TimeUnit.MILLISECONDS));
    }

    @Test
    void aRequestLineLargerThanTheLimitIsAnswered414() throws Exception {
        start(16, 1 << 20);
        Socket client = connect();
        send(client, "GET /" + "a".repeat(MAX_HEAD));
        String answer = readAll(client);
        assertTrue(answer.startsWith("HTTP/1.1 414 URI Too Long\r\n"), answer);
        assertTrue(answer.contains("\r\nConnection: close\r\n"), answer);
    }

    @Test
    void aHeadStillIncompleteAfterTheHeaderTimeoutIsAnswered408AndClosed() throws Exception {
        start(16, 1 << 20);
        Socket slow = connect();
        Socket silent = connect();
        Socket inTime = connect();
        String slowPiece = "GET / HTTP/1.1\r\nHost: x\r\n";
        String inTimePiece = "GET / HTTP/1.1\r\n";
        send(slow, slowPiece);
        send(inTime, inTimePiece);
        awaitBuffered(slowPiece.length() + inTimePiece.length());
        awaitSending(3);

        clock.addAndGet(HEADER_TIMEOUT.minusSeconds(1).toNanos());
        send(inTime, "Host: x\r\n\r\n");
        GatedConnection inTimeTaken = gate.take(5, TimeUnit.SECONDS);
        assertNotNull(inTimeTaken, "a head 1 s within the timeout was closed");
        inTimeTaken.channel().close();

        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        gate.wakeUp();
        assertTrue(readAll(slow).startsWith("HTTP/1.1 408 Request Timeout\r\n"));
        assertEquals("", readAll(silent), "a connection that sent nothing is closed without an answer");
    }

    @Test
    void aFullGateClosesItsOldestConnectionForEachNewOne() throws Exception {
        start(3, 1 << 20);
        Socket oldest = connect();
        send(oldest, "GET / HTTP/1.1\r\n");
        awaitSending(1);
        Socket second = connect();
        Socket third = connect();
        awaitSending(3);
        Socket newcomer = connect();
        assertEquals("", readAll(oldest), "the oldest connection was kept");
        send(newcomer, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("GET / HTTP/1.1\r\nHost: x\r\n\r\n", text(gate.take(5, TimeUnit.SECONDS).received()));
        assertStillOpen(second);
        assertStillOpen(third);
    }

    @Test
    void whenHeadsFillTheGatesMemoryTheOldestHeadGoes() throws Exception {
        start(16, 2 * MAX_HEAD);
        String partial = "GET / HTTP/1.1\r\nX: " + "a".repeat(700);
        Socket oldest = connect();
        send(oldest, partial);
        awaitBuffered(partial.length());
        Socket second = connect();
        send(second, partial);
        awaitBuffered(2L * partial.length());
        Socket third = connect();
        send(third, partial);
        assertEquals("", readAll(oldest), "the oldest head was kept past the gate's memory");
        send(third, "\r\n\r\n");
        assertEquals(partial + "\r\n\r\n", text(gate.take(5, TimeUnit.SECONDS).received()));
        assertStillOpen(second);
    }

    @Test
    void aTakerWaitingIsWokenAndClosingDropsEveryConnectionHeld() throws Exception {
        start(16, 1 << 20);
        gate.wakeUpTaker();
        assertNull(gate.take(5, TimeUnit.SECONDS), "the taker was not woken");
        Socket sending = connect();
        Socket ready = connect();
        send(sending, "GET / HTTP/1.1\r\n");
        send(ready, "GET / HTTP/1.1\r\n\r\n");
        awaitSending(1);
        awaitBuffered(16 + 18);
        gate.close();
        assertEquals("", readAll(sending));
        assertEquals("", readAll(ready));
    }

    private void start(int maxWaiting, long maxBytes) throws IOException {
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        gate = RequestHeadGate.start(server, new GateLimits(MAX_HEAD, HEADER_TIMEOUT, maxWaiting, maxBytes),
                clock::get, "test-gate");
    }

    private Socket connect() throws IOException {
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.socket().getLocalPort());
        client.setSoTimeout(5_000);
        clients.add(client);
        return client;
    }

    private static void send(Socket client, String text) throws IOException {
        client.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        client.getOutputStream().flush();
    }

    /** Everything the gate sends until it closes; fails if it does not close within the socket timeout. */
    private static String readAll(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        try {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the gate kept the connection open", e);
        }
    }

    private static void assertStillOpen(Socket client) throws IOException {
        client.setSoTimeout(200);
        try {
            int read = client.getInputStream().read();
            fail("the connection was closed or answered: " + read);
        } catch (SocketTimeoutException expected) {
            // open and silent, as a connection waiting for the rest of its head is
        } finally {
            client.setSoTimeout(5_000);
        }
    }

    private void awaitSending(int count) throws InterruptedException {
        await(() -> gate.sending() == count, "connections sending their head: " + count);
    }

    /** Waits until the gate has read at least {@code bytes} (it may hold more: arrays grow by doubling). */
    private void awaitBuffered(long bytes) throws InterruptedException {
        await(() -> gate.buffered() >= bytes, "bytes held: " + bytes);
    }

    private void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("the gate never got to " + what + " (sending " + gate.sending() + ", bytes " + gate.buffered() + ")");
            }
            gate.wakeUp();
            Thread.sleep(5);
        }
    }

    private static String text(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
