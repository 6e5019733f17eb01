package io.fastcgibridge.launcher.gate;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * A connection in the gate: the bytes of its request head so far, in an array no larger than they
 * are (a connection that sent nothing holds none), and when it must be done. Used by the gate's
 * thread only.
 */
final class PendingHead {

    private static final byte[] NOTHING = new byte[0];

    private final SocketChannel channel;
    private final HeadScanner scanner = new HeadScanner();
    private SelectionKey key;
    private long deadline;
    private byte[] bytes = NOTHING;
    private int length;
    private boolean refused;

    PendingHead(SocketChannel channel, long deadline) {
        this.channel = channel;
        this.deadline = deadline;
    }

    SocketChannel channel() {
        return channel;
    }

    SelectionKey key() {
        return key;
    }

    void key(SelectionKey registered) {
        this.key = registered;
    }

    long deadline() {
        return deadline;
    }

    /** Bytes of heap its head holds. */
    int held() {
        return bytes.length;
    }

    /** How many more bytes the head may have under {@code maxHeadBytes}. */
    int room(int maxHeadBytes) {
        return maxHeadBytes - length;
    }

    /** How many bytes the array must grow by to take {@code more}. */
    int growthFor(int more, int maxHeadBytes) {
        int needed = length + more;
        if (needed <= bytes.length) {
            return 0;
        }
        // The first piece is usually the whole head: take exactly its size. Then double, up to the limit.
        int capacity = bytes.length == 0 ? needed : Math.min(maxHeadBytes, Math.max(needed, bytes.length * 2));
        return capacity - bytes.length;
    }

    /**
     * Appends the bytes read (after {@link #growthFor} said how much room they need) and scans them.
     *
     * @return whether the head is now whole
     */
    boolean append(ByteBuffer read, int growth) {
        int more = read.remaining();
        if (growth > 0) {
            bytes = Arrays.copyOf(bytes, bytes.length + growth);
        }
        read.get(bytes, length, more);
        int from = length;
        length += more;
        return scanner.scan(bytes, from, length) >= 0;
    }

    /** What was read, for Tomcat to read first. */
    ByteBuffer received() {
        return ByteBuffer.wrap(bytes, 0, length);
    }

    /** The answer when the head outgrew its limit: a request line that long has a URI too long. */
    Refusal tooLarge() {
        return Refusal.fromTooLarge(scanner);
    }

    boolean isRefused() {
        return refused;
    }

    /** Once answered, the connection only drains what the client still sends, until {@code until}. */
    void refused(long until) {
        refused = true;
        deadline = until;
        bytes = NOTHING;
        length = 0;
    }

    boolean sentAnything() {
        return length > 0;
    }
}
