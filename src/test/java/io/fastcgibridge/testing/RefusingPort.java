package io.fastcgibridge.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port that refuses connections for as long as this object is open: a socket bound to
 * it that never listens holds it, so no other process can take it in the meantime.
 */
public final class RefusingPort implements AutoCloseable {

    private final Socket holder = new Socket();

    public RefusingPort() throws IOException {
        holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** {@code 127.0.0.1:PORT}. */
    public String address() {
        return "127.0.0.1:" + holder.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        holder.close();
    }
}
