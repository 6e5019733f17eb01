package io.fastcgibridge.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Feeds a byte stream to a decoder the way the client's connection does: reads of random sizes
 * into one receive buffer, decode, compact; after a pause the socket is not read, the rest is
 * decoded again (a resume). The buffer is the client's size, a small one or a tiny one, on the
 * heap or direct.
 */
public final class ChunkedFeed {

    /** The client's receive buffer: a whole maximal record and some. */
    private static final int CLIENT_BUFFER = 64 * 1024 + 512;

    /** Allocated once: a direct buffer per input would make the fuzzer wait for the cleaner. One thread uses them. */
    private static final ByteBuffer DIRECT = ByteBuffer.allocateDirect(CLIENT_BUFFER);
    private static final ByteBuffer HEAP = ByteBuffer.allocate(CLIENT_BUFFER);

    private final ByteBuffer buffer;

    /** A buffer for a stream of {@code streamLength} bytes: tiny ones only for short streams, to bound the work. */
    public ChunkedFeed(Random random, int streamLength) {
        int capacity = switch (random.nextInt(streamLength < 4096 ? 3 : 2)) {
            case 0 -> CLIENT_BUFFER;
            case 1 -> 8 + random.nextInt(4096);
            default -> 1 + random.nextInt(64);
        };
        ByteBuffer whole = random.nextBoolean() ? DIRECT : HEAP;
        buffer = whole.clear().limit(capacity).slice();
    }

    /** The receive buffer: every slice a listener gets must be a view of it. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /**
     * Runs until {@code done} says so after a decode, or until the whole stream is used. Fails when
     * a decode call pauses without using a byte, or claims to have used everything and has not.
     *
     * @return the number of decode calls
     */
    public int run(RecordDecoder decoder, byte[] stream, Random random, BooleanSupplier done) {
        buffer.clear();
        int offset = 0;
        int calls = 0;
        boolean paused = false;
        while (true) {
            if (!paused && offset < stream.length && buffer.hasRemaining()) {
                int n = 1 + random.nextInt(Math.min(buffer.remaining(), stream.length - offset));
                buffer.put(stream, offset, n);
                offset += n;
            }
            buffer.flip();
            int before = buffer.remaining();
            boolean all = decoder.decode(buffer);
            calls++;
            if (all) {
                assertFalse(buffer.hasRemaining(), "decode returned true with bytes left unused");
            } else {
                assertTrue(buffer.remaining() < before, "decode paused without using a byte");
            }
            buffer.compact();
            paused = !all;
            if (done.getAsBoolean() || (offset == stream.length && buffer.position() == 0)) {
                return calls;
            }
            assertTrue(calls <= 2 * stream.length + 2, "still decoding after " + calls + " calls");
        }
    }
}
