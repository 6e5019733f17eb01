package io.fastcgibridge.client;

import io.fastcgibridge.client.FastCgiException.Code;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import jdk.net.ExtendedSocketOptions;

/**
 * One socket to a backend with its send and receive buffers.
 *
 * <p>Threading: every method except the constructor runs on the connection's {@link EventLoop}.
 * Whoever owns the connection at a time (an exchange while a request runs, the pool while it is
 * idle) is its {@link Handler}; ownership moves only on the loop thread.
 */
final class Connection implements EventLoop.IoHandler, EventLoop.Timed {

    /** Reacts to the socket on behalf of the connection's current owner. */
    interface Handler {
        void onReadable();

        void onWritable();

        /** See {@link EventLoop.Timed#onTimer}. */
        long onTimer(long now);

        /** The client is closing and the socket with it. */
        default void onShutdown() {
        }
    }

    final EventLoop loop;
    final FastCgiAddress address;
    /**
     * The receive and send buffers, from the loop's {@link ConnectionBuffers} from {@link #connect}
     * on, given back (and {@code null}) once the connection is closed.
     */
    ByteBuffer in;
    ByteBuffer out;
    private SocketChannel channel;
    private SelectionKey key;
    private Handler handler;
    private boolean closed;
    /** TCP on a system that lets this side acknowledge at once ({@code TCP_QUICKACK}, Linux). */
    private boolean quickAck;
    private int exchanges;
    private long idleSince;
    /** Set once the pool has stopped counting this connection; guarded by the pool's lock. */
    boolean retired;
    /** Set while it waits in its place for its worker's answer ({@link ReuseProbe}); guarded by the pool's lock. */
    boolean settling;
    /** Set while it waits out of its place for a busy worker ({@link ReuseProbe}); guarded by the pool's lock. */
    boolean detached;

    Connection(EventLoop loop, FastCgiAddress address) {
        this.loop = loop;
        this.address = address;
    }

    /** Opens the socket; {@code result} completes with this connection or a connect failure. */
    void connect(long timeoutNanos, CompletableFuture<Connection> result) {
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : Long.MAX_VALUE;
        in = loop.buffers().receiveBuffer();
        out = loop.buffers().sendBuffer();
        try {
            channel = SocketChannel.open(address.family());
            channel.configureBlocking(false);
            if (address instanceof FastCgiAddress.Tcp) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                quickAck = channel.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);
            }
            handler = new Connecting(deadline, result);
            key = loop.register(channel, 0, this);
            loop.watch(this);
            loop.wakeAt(deadline);
            if (channel.connect(address.socketAddress())) {
                connected(result);
            } else {
                key.interestOps(SelectionKey.OP_CONNECT);
            }
        } catch (IOException | RuntimeException e) {
            close();
            result.completeExceptionally(Failures.connect(address, e));
        }
    }

    private void connected(CompletableFuture<Connection> result) {
        key.interestOps(0);
        handler = null;
        if (!result.complete(this)) {
            close();
        }
    }

    /** The owner from now on. */
    void handOver(Handler newHandler) {
        handler = newHandler;
    }

    /** Counts one more exchange; returns whether the connection served one before. */
    boolean startExchange() {
        return exchanges++ > 0;
    }

    void markIdle(long now) {
        idleSince = now;
    }

    long idleSince() {
        return idleSince;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Whether {@link #acknowledgeNow} works here: over a Unix socket there is nothing to acknowledge,
     * over TCP it takes {@code TCP_QUICKACK}.
     */
    boolean canAcknowledgeNow() {
        return quickAck || address instanceof FastCgiAddress.Unix;
    }

    /**
     * Sends the acknowledgement of what was received now instead of after the delayed-ACK timer (up
     * to 40 ms): PHP-FPM, without {@code TCP_NODELAY}, holds a small write behind unacknowledged bytes.
     * Returns whether it was sent.
     */
    boolean acknowledgeNow() {
        if (!quickAck || closed) {
            return false;
        }
        try {
            channel.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
            return true;
        } catch (IOException | RuntimeException e) {
            // then the timer sends it: the probe's answer comes late, never wrong
            return false;
        }
    }

    /** Reads what the socket has into {@link #in}; -1 at end of stream. */
    int read() throws IOException {
        return channel.read(in);
    }

    /** Writes what {@link #out} holds; returns whether it is now empty. */
    boolean flush() throws IOException {
        out.flip();
        try {
            channel.write(out);
        } finally {
            out.compact();
        }
        return out.position() == 0;
    }

    void interest(boolean read, boolean write) {
        if (!closed) {
            key.interestOps((read ? SelectionKey.OP_READ : 0) | (write ? SelectionKey.OP_WRITE : 0));
        }
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        handler = null;
        loop.buffers().giveBack(in, out);
        in = null;
        out = null;
        loop.unwatch(this);
        if (key != null) {
            key.cancel();
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // the socket is gone either way
        }
    }

    @Override
    public void onReady(SelectionKey readyKey) {
        Handler current = handler;
        if (current == null) {
            return;
        }
        int ready = readyKey.readyOps();
        if ((ready & SelectionKey.OP_CONNECT) != 0) {
            ((Connecting) current).finish();
            return;
        }
        if ((ready & SelectionKey.OP_READ) != 0) {
            current.onReadable();
        }
        if (!closed && handler == current && (ready & SelectionKey.OP_WRITE) != 0 && readyKey.isValid()) {
            current.onWritable();
        }
    }

    @Override
    public long onTimer(long now) {
        Handler current = handler;
        return current == null ? Long.MAX_VALUE : current.onTimer(now);
    }

    @Override
    public void onShutdown() {
        Handler current = handler;
        if (current != null) {
            current.onShutdown();
        }
        close();
    }

    @Override
    public String toString() {
        return "connection to " + address;
    }

    /** The owner while the socket connects. */
    private final class Connecting implements Handler {
        private final long deadline;
        private final CompletableFuture<Connection> result;

        Connecting(long deadline, CompletableFuture<Connection> result) {
            this.deadline = deadline;
            this.result = result;
        }

        void finish() {
            try {
                if (channel.finishConnect()) {
                    connected(result);
                }
            } catch (IOException | RuntimeException e) {
                close();
                result.completeExceptionally(Failures.connect(address, e));
            }
        }

        @Override
        public void onReadable() {
        }

        @Override
        public void onWritable() {
        }

        @Override
        public void onShutdown() {
            result.completeExceptionally(new FastCgiException(Code.CLIENT_CLOSED,
                    "the FastCGI client was closed while connecting to " + address));
        }

        @Override
        public long onTimer(long now) {
            if (now - deadline < 0) {
                return deadline;
            }
            close();
            result.completeExceptionally(new FastCgiException(Code.CONNECT_TIMEOUT,
                    "no connection to " + address + " within the connect timeout: is the backend up and reachable?"));
            return Long.MAX_VALUE;
        }
    }
}
