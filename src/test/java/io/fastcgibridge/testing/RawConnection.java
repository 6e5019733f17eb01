package io.fastcgibridge.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP connection driven byte by byte, as hostile or slow clients drive theirs: send part of
 * a request, pause, half-close, read a little, reset. Reads time out after 30 s so nothing hangs.
 */
public final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /** Connects to the loopback port. */
    public static RawConnection open(int port) throws IOException {
        return open(port, 0);
    }

    /**
     * Connects with a receive buffer of {@code receiveBuffer} bytes (0: the system's), set before
     * connecting so that the kernel cannot grow it and hold a large response for a client that
     * does not read.
     */
    public static RawConnection open(int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        socket.setSoTimeout(30_000);
        return new RawConnection(socket);
    }

    public RawConnection send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawConnection send(byte[] bytes) throws IOException {
        return send(bytes, 0, bytes.length);
    }

    public RawConnection send(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        out.flush();
        return this;
    }

    /** No more bytes from this side; the server may still answer. */
    public RawConnection halfClose() throws IOException {
        socket.shutdownOutput();
        return this;
    }

    /** Reads up to and including the empty line that ends a response head. */
    public String readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Everything until the server closes; what came before a reset if it resets. */
    public String readAll() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            // a reset after the answer: keep what came
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    public InputStream in() {
        return in;
    }

    /** Closes with a reset (RST), as a client that crashes or is killed. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
