package io.fastcgibridge.launcher.gate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.tomcat.util.ExceptionUtils;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketBufferHandler;
import org.apache.tomcat.util.net.SocketEvent;

/**
 * Tomcat's NIO endpoint with the {@link RequestHeadGate} in front: Tomcat's acceptor takes only
 * connections whose request head has arrived whole, so its per-connection buffers and processors
 * (tens of KB each) go to requests that are ready, and {@code maxConnections} counts only those.
 * Kept-alive connections stay with Tomcat's poller after their first request, as usual.
 *
 * <p>The head the gate read is handed over in the connection's channel. As no more bytes may be
 * coming, the connection is dispatched for reading at once, in the state Tomcat's poller leaves a
 * connection it has just seen readable: registered, no interest, a read under way.
 */
public final class GatedNioEndpoint extends NioEndpoint {

    private static final System.Logger LOG = System.getLogger(GatedNioEndpoint.class.getName());
    /** How often Tomcat's acceptor, waiting for the gate, checks whether the endpoint was paused or stopped. */
    private static final long TAKE_MILLIS = 500;

    private final GateLimits limits;
    private final Map<SocketChannel, ByteBuffer> received = new ConcurrentHashMap<>();
    private volatile RequestHeadGate gate;
    private volatile KeptAliveReclaimer reclaimer;

    public GatedNioEndpoint(GateLimits limits) {
        this.limits = limits;
    }

    @Override
    public void startInternal() throws Exception {
        if (isRunning()) {
            return;
        }
        RequestHeadGate started = RequestHeadGate.start((ServerSocketChannel) getServerSocket(), limits,
                System::nanoTime, getName() + "-HeadGate");
        gate = started;
        super.startInternal();
        reclaimer = new KeptAliveReclaimer(connections, started::ready, this::getConnectionCount,
                this::getMaxConnections);
        Thread thread = new Thread(reclaimer, getName() + "-KeptAliveReclaimer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stopInternal() {
        KeptAliveReclaimer stoppingReclaimer = reclaimer;
        if (stoppingReclaimer != null) {
            stoppingReclaimer.stop();
        }
        super.stopInternal();
        RequestHeadGate stopping = gate;
        if (stopping != null) {
            stopping.close();
        }
        received.keySet().forEach(GatedNioEndpoint::closeQuietly);
        received.clear();
    }

    /** The gate in front, while started (tests look at it). */
    RequestHeadGate gate() {
        return gate;
    }

    /** Tomcat's acceptor waits here for the next connection whose head is whole; {@code null} once paused or stopped. */
    @Override
    protected SocketChannel serverSocketAccept() throws Exception {
        RequestHeadGate current = gate;
        while (isRunning() && !isPaused()) {
            GatedConnection next = current.take(TAKE_MILLIS, TimeUnit.MILLISECONDS);
            if (next != null) {
                received.put(next.channel(), next.received());
                return next.channel();
            }
        }
        return null;
    }

    /** Wakes the acceptor waiting on the gate (Tomcat's own way, a connection to itself, would only reach the gate). */
    @Override
    protected void unlockAccept() {
        RequestHeadGate current = gate;
        if (current != null) {
            current.wakeUpTaker();
        }
    }

    @Override
    protected void destroySocket(SocketChannel socket) {
        if (socket == null) {
            countDownConnection();
            return;
        }
        received.remove(socket);
        super.destroySocket(socket);
    }

    @Override
    protected boolean setSocketOptions(SocketChannel socket) {
        if (socket == null) {
            countDownConnection();
            return true;
        }
        ByteBuffer head = received.remove(socket);
        NioSocketWrapper wrapper = null;
        try {
            PrefixedNioChannel channel = channel();
            wrapper = new NioSocketWrapper(channel, this);
            channel.reset(socket, wrapper);
            channel.prefix(head);
            connections.put(socket, wrapper);
            if (getUnixDomainSocketPath() == null) {
                socketProperties.setProperties(socket.socket());
            }
            wrapper.setReadTimeout(getConnectionTimeout());
            wrapper.setWriteTimeout(getConnectionTimeout());
            wrapper.setKeepAliveLeft(getMaxKeepAliveRequests());
            wrapper.interestOps(0);
            socket.register(getPoller().getSelector(), 0, wrapper);
            if (!processSocket(wrapper, SocketEvent.OPEN_READ, true)) {
                wrapper.close();
            }
            return true;
        } catch (OutOfMemoryError e) {
            abandon(socket, wrapper);
            logOutOfMemory();
            return true;
        } catch (Throwable t) {
            ExceptionUtils.handleThrowable(t);
            abandon(socket, wrapper);
            LOG.log(System.Logger.Level.ERROR, "FCGI-0414 cannot hand a connection to Tomcat", t);
            return true;
        }
    }

    /** A channel from Tomcat's cache, or a new one with its buffers. */
    private PrefixedNioChannel channel() {
        NioChannel cached = getNioChannels() == null ? null : getNioChannels().pop();
        if (cached instanceof PrefixedNioChannel) {
            return (PrefixedNioChannel) cached;
        }
        return new PrefixedNioChannel(new SocketBufferHandler(socketProperties.getAppReadBufSize(),
                socketProperties.getAppWriteBufSize(), socketProperties.getDirectBuffer()));
    }

    /** Closes a connection that could not be set up, counting it out once. */
    private void abandon(SocketChannel socket, NioSocketWrapper wrapper) {
        if (wrapper != null && connections.get(socket) == wrapper) {
            wrapper.close();
        } else {
            connections.remove(socket);
            destroySocket(socket);
        }
    }

    /** Tomcat would let this error kill its acceptor, and nothing would be accepted again: only the one connection goes. */
    private static void logOutOfMemory() {
        try {
            LOG.log(System.Logger.Level.ERROR, "FCGI-0413 out of memory while handing a connection to Tomcat:"
                    + " that connection is closed, the others go on");
        } catch (Throwable ignored) {
            // no memory to log with either
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // being dropped anyway
        }
    }
}
