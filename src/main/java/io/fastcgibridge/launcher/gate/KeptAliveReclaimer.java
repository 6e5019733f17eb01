package io.fastcgibridge.launcher.gate;

import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.apache.tomcat.util.net.NioEndpoint.NioSocketWrapper;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * Makes room in a full Tomcat for connections whose head is whole and waiting in the gate: idle
 * kept-alive connections are closed, the longest idle first, one per connection waiting. Otherwise
 * a few dozen idle browsers could hold every place Tomcat has, for its whole keep-alive timeout
 * (nginx closes idle connections the same way when it runs out). A client whose kept connection is
 * closed opens a new one, as it does after a keep-alive timeout.
 */
final class KeptAliveReclaimer implements Runnable {

    private static final System.Logger LOG = System.getLogger(KeptAliveReclaimer.class.getName());
    private static final long PERIOD_MILLIS = 200;

    private final Map<?, ? extends SocketWrapperBase<?>> connections;
    private final IntSupplier waitingInGate;
    private final LongSupplier connectionCount;
    private final IntSupplier maxConnections;
    private volatile boolean stopped;
    private boolean logged;

    KeptAliveReclaimer(Map<?, ? extends SocketWrapperBase<?>> connections, IntSupplier waitingInGate,
            LongSupplier connectionCount, IntSupplier maxConnections) {
        this.connections = connections;
        this.waitingInGate = waitingInGate;
        this.connectionCount = connectionCount;
        this.maxConnections = maxConnections;
    }

    /** An idle connection and when it last read. */
    private record Idle(NioSocketWrapper wrapper, long lastRead) {
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                TimeUnit.MILLISECONDS.sleep(PERIOD_MILLIS);
                reclaim();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | OutOfMemoryError e) {
                // the next turn tries again
            }
        }
    }

    /** Closes as many idle kept-alive connections as there are whole heads waiting, if Tomcat is full. */
    int reclaim() {
        int waiting = waitingInGate.getAsInt();
        if (waiting == 0 || connectionCount.getAsLong() < maxConnections.getAsInt()) {
            return 0;
        }
        List<Idle> idle = new ArrayList<>();
        for (SocketWrapperBase<?> wrapper : connections.values()) {
            // Between requests Tomcat holds no processor for a connection and waits for it to be readable.
            if (wrapper instanceof NioSocketWrapper && wrapper.getCurrentProcessor() == null && !wrapper.isClosed()
                    && ((NioSocketWrapper) wrapper).interestOpsHas(SelectionKey.OP_READ)) {
                NioSocketWrapper nio = (NioSocketWrapper) wrapper;
                idle.add(new Idle(nio, nio.getLastRead()));
            }
        }
        // Sorted on a snapshot of the times: they change while the connections are read.
        idle.sort(Comparator.comparingLong(Idle::lastRead));
        List<Idle> closing = idle.subList(0, Math.min(waiting, idle.size()));
        closing.forEach(connection -> connection.wrapper().close());
        if (!closing.isEmpty() && !logged) {
            logged = true;
            LOG.log(System.Logger.Level.INFO, "FCGI-0418 Tomcat is full ({0} connections): idle kept-alive connections"
                    + " are closed for new ones waiting (logged once)", maxConnections.getAsInt());
        }
        return closing.size();
    }
}
