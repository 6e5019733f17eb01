package io.fastcgibridge.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.client.FastCgiException.Code;
import io.fastcgibridge.testing.RefusingPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pool's rules, driven by explicit timestamps: no sleeps. Its connections go to a loopback
 * listener that only accepts, since no FastCGI is spoken here.
 */
class ConnectionPoolTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private ServerSocketChannel listener;
    private final List<SocketChannel> accepted = new CopyOnWriteArrayList<>();
    private Thread acceptor;
    private EventLoopGroup loops;

    @BeforeEach
    void listen() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(listener.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        acceptor.start();
        loops = new EventLoopGroup(1);
    }

    @AfterEach
    void close() throws Exception {
        loops.shutdown();
        listener.close();
        acceptor.join();
        for (SocketChannel channel : accepted) {
            channel.close();
        }
    }

    private ConnectionPool pool(int maxConnections, int maxWaiters) {
        return pool("127.0.0.1:" + listener.socket().getLocalPort(), maxConnections, maxWaiters);
    }

    private ConnectionPool pool(String address, int maxConnections, int maxWaiters) {
        ClientSettings settings = ClientSettings.builder()
                .backends(address)
                .maxConnections(maxConnections)
                .maxWaiters(maxWaiters)
                .poolWaitTimeout(Duration.ofSeconds(10))
                .idleTimeout(Duration.ofSeconds(2))
                .build();
        return new ConnectionPool(settings.backends().get(0), loops, settings);
    }

    /** The connections the listener accepted, once it has caught up with {@code expected} (it lags the client). */
    private int acceptedConnections(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + 5 * SECOND;
        while (accepted.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return accepted.size();
    }

    private static Connection get(CompletableFuture<Connection> future) throws Exception {
        return future.get(5, TimeUnit.SECONDS);
    }

    /** Runs on the connection's loop, as the client does, and waits for it. */
    private static void onLoop(Connection connection, Runnable action) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        connection.loop.execute(() -> {
            action.run();
            done.complete(null);
        });
        done.get(5, TimeUnit.SECONDS);
    }

    private static Code failureCode(CompletableFuture<Connection> future) throws Exception {
        try {
            future.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return ((FastCgiException) e.getCause()).code();
        }
        throw new AssertionError("the acquisition did not fail");
    }

    @Test
    void aReleasedConnectionIsReusedInsteadOfOpeningAnother() throws Exception {
        ConnectionPool pool = pool(4, 10);
        Connection first = get(pool.acquire(0, false));
        onLoop(first, () -> pool.release(first, 0));

        Connection second = get(pool.acquire(1, false));

        assertSame(first, second);
        assertEquals(1, acceptedConnections(1));
    }

    @Test
    void neverMoreThanMaxConnectionsAndTheNextRequestWaitsForARelease() throws Exception {
        ConnectionPool pool = pool(2, 10);
        Connection a = get(pool.acquire(0, false));
        get(pool.acquire(0, false));

        CompletableFuture<Connection> third = pool.acquire(0, false);

        assertFalse(third.isDone());
        assertEquals(3, pool.load());
        onLoop(a, () -> pool.release(a, 0));
        assertSame(a, get(third));
        assertEquals(2, acceptedConnections(2));
    }

    @Test
    void aWaiterPastThePoolWaitTimeoutFailsWithPoolExhausted() throws Exception {
        ConnectionPool pool = pool(1, 10);
        get(pool.acquire(0, false));
        CompletableFuture<Connection> waiting = pool.acquire(0, false);

        pool.cleanup(10 * SECOND - 1);
        assertFalse(waiting.isDone());
        pool.cleanup(10 * SECOND);

        assertEquals(Code.POOL_EXHAUSTED, failureCode(waiting));
    }

    @Test
    void aFullWaitQueueFailsAtOnce() throws Exception {
        ConnectionPool pool = pool(1, 1);
        get(pool.acquire(0, false));
        pool.acquire(0, false);

        assertEquals(Code.POOL_EXHAUSTED, failureCode(pool.acquire(0, false)));
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeoutSoItPinsNoWorker() throws Exception {
        ConnectionPool pool = pool(4, 10);
        Connection connection = get(pool.acquire(0, false));
        onLoop(connection, () -> pool.release(connection, 5 * SECOND));

        pool.cleanup(7 * SECOND - 1);
        onLoop(connection, () -> { });
        assertFalse(connection.isClosed());
        pool.cleanup(7 * SECOND);
        onLoop(connection, () -> { });

        assertTrue(connection.isClosed());
        acceptedConnections(1);
        assertEquals(-1, accepted.get(0).read(ByteBuffer.allocate(1)), "the backend saw the connection close");
        assertEquals(0, pool.load());
    }

    @Test
    void aDiscardedConnectionMakesRoomForAWaiter() throws Exception {
        ConnectionPool pool = pool(1, 10);
        Connection broken = get(pool.acquire(0, false));
        CompletableFuture<Connection> waiting = pool.acquire(0, false);

        onLoop(broken, () -> pool.discard(broken));

        Connection fresh = get(waiting);
        assertTrue(broken.isClosed());
        assertFalse(fresh.isClosed());
        assertEquals(2, acceptedConnections(2));
    }

    @Test
    void aFreshAcquisitionSkipsIdleConnectionsAndClosesOneToStayUnderTheMaximum() throws Exception {
        ConnectionPool pool = pool(1, 10);
        Connection stale = get(pool.acquire(0, false));
        onLoop(stale, () -> pool.release(stale, 0));

        Connection fresh = get(pool.acquire(1, true));
        onLoop(stale, () -> { });

        assertTrue(stale.isClosed());
        assertFalse(fresh.isClosed());
        assertEquals(1, pool.load());
    }

    @Test
    void aBackendThatRefusesFailsTheWaitersTooInsteadOfLettingThemWait() throws Exception {
        try (RefusingPort refusing = new RefusingPort()) {
            ConnectionPool pool = pool(refusing.address(), 1, 10);
            CompletableFuture<Connection> first = pool.acquire(0, false);
            CompletableFuture<Connection> second = pool.acquire(0, false);

            assertEquals(Code.CONNECT_REFUSED, failureCode(first));
            assertEquals(Code.CONNECT_REFUSED, failureCode(second));
            assertEquals(0, pool.load());
        }
    }
}
