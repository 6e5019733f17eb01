package io.fastcgibridge.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection to or from {@code serve}'s control socket: short text lines over a blocking Unix
 * domain socket, each read bounded in length and in time (the connection is closed when the time is
 * up), so that neither side waits forever on the other.
 */
final class ControlConnection implements AutoCloseable {

    /** Longer lines are a mistake or an attack; the protocol's are a few dozen bytes. */
    static final int MAX_LINE = 4096;

    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "fastcgi-bridge-control-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    private final SocketChannel channel;
    private final ByteBuffer received = ByteBuffer.allocate(MAX_LINE);

    ControlConnection(SocketChannel channel) {
        this.channel = channel;
    }

    SocketChannel channel() {
        return channel;
    }

    /**
     * The next line, without its end.
     *
     * @throws IOException when the other side closed first, the line is too long, or nothing came
     *         within {@code timeout} ({@link java.nio.channels.AsynchronousCloseException})
     */
    String readLine(Duration timeout) throws IOException {
        ScheduledFuture<?> deadline = DEADLINES.schedule(this::close, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            while (true) {
                for (int i = 0; i < received.position(); i++) {
                    if (received.get(i) == '\n') {
                        return take(i);
                    }
                }
                if (!received.hasRemaining()) {
                    throw new IOException("a line longer than " + MAX_LINE + " bytes");
                }
                if (channel.read(received) < 0) {
                    throw new IOException("the other side closed the connection");
                }
            }
        } finally {
            deadline.cancel(false);
        }
    }

    /** Writes {@code text} as one line: line ends within it are escaped, and {@link #readLine} restores them. */
    void writeLine(String text) throws IOException {
        String line = text.replace("\\", "\\\\").replace("\r", "").replace("\n", "\\n");
        ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** The line that ends at {@code end}; what follows it stays for the next read. */
    private String take(int end) {
        received.flip();
        byte[] line = new byte[end];
        received.get(line);
        received.get(); // the newline
        received.compact();
        return unescape(new String(line, StandardCharsets.UTF_8).strip());
    }

    private static String unescape(String line) {
        StringBuilder text = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                char next = line.charAt(++i);
                text.append(next == 'n' ? '\n' : next);
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing left to tell the other side
        }
    }
}
