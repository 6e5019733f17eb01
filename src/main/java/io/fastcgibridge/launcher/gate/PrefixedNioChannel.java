package io.fastcgibridge.launcher.gate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint.NioSocketWrapper;
import org.apache.tomcat.util.net.SocketBufferHandler;

/**
 * Tomcat's channel for a connection that passed the gate: its reads give first the bytes the gate
 * already read (the request head and what came with it), then the socket's. Both read paths Tomcat
 * uses are covered: {@code read(ByteBuffer)} and the scattering read.
 */
final class PrefixedNioChannel extends NioChannel {

    /** The gate's bytes not yet given to Tomcat; {@code null} once they all were. */
    private volatile ByteBuffer prefix;

    PrefixedNioChannel(SocketBufferHandler buffers) {
        super(buffers);
    }

    /** Called once the channel is reset for a new connection: these bytes come first. */
    void prefix(ByteBuffer received) {
        this.prefix = received != null && received.hasRemaining() ? received : null;
    }

    @Override
    public void reset(SocketChannel channel, NioSocketWrapper socketWrapper) throws IOException {
        super.reset(channel, socketWrapper);
        prefix = null;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ByteBuffer first = prefix;
        if (first == null) {
            return super.read(dst);
        }
        int moved = move(first, dst);
        if (!first.hasRemaining()) {
            prefix = null;
        }
        return moved;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        ByteBuffer first = prefix;
        if (first == null) {
            return super.read(dsts, offset, length);
        }
        long moved = 0;
        for (int i = offset; i < offset + length && first.hasRemaining(); i++) {
            moved += move(first, dsts[i]);
        }
        if (!first.hasRemaining()) {
            prefix = null;
        }
        return moved;
    }

    private static int move(ByteBuffer from, ByteBuffer to) {
        int count = Math.min(from.remaining(), to.remaining());
        if (count == 0) {
            return 0;
        }
        ByteBuffer slice = from.slice();
        slice.limit(count);
        to.put(slice);
        from.position(from.position() + count);
        return count;
    }
}
