package io.fastcgibridge.servlet;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream (RFC 1952) made piece by piece: each call returns the bytes ready to send, so that
 * a caller in non-blocking mode writes them when it can. {@link #flush()} is a deflate sync flush:
 * what was given so far can be decoded by the client at once (PHP's {@code flush()}, server-sent
 * events). Not thread-safe; {@link #end()} frees the native memory.
 */
final class GzipEncoder {

    /** nginx's {@code gzip_comp_level} default: the fastest level, for the least CPU per byte. */
    static final int LEVEL = 1;

    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final int STEP = 8 * 1024;

    private final Deflater deflater = new Deflater(LEVEL, true);
    private final CRC32 crc = new CRC32();
    private final byte[] step = new byte[STEP];
    private boolean headerSent;
    private boolean dirty;

    /** Compresses {@code chunk} (consumed); returns what is ready to send, often nothing until more comes. */
    ByteBuffer encode(ByteBuffer chunk) {
        ByteArrayOutputStream ready = start();
        if (chunk.hasRemaining()) {
            int from = chunk.position();
            crc.update(chunk);
            chunk.position(from);
            deflater.setInput(chunk);
            drain(ready, Deflater.NO_FLUSH);
            dirty = true;
        }
        return ByteBuffer.wrap(ready.toByteArray());
    }

    /** Everything given so far, decodable by the client now; nothing when nothing was given since the last flush. */
    ByteBuffer flush() {
        ByteArrayOutputStream ready = start();
        if (dirty) {
            drain(ready, Deflater.SYNC_FLUSH);
            dirty = false;
        }
        return ByteBuffer.wrap(ready.toByteArray());
    }

    /** The end of the stream and its trailer (CRC-32 and length); the encoder is done. */
    ByteBuffer finish() {
        ByteArrayOutputStream ready = start();
        deflater.finish();
        while (!deflater.finished()) {
            ready.write(step, 0, deflater.deflate(step, 0, step.length, Deflater.NO_FLUSH));
        }
        writeIntLe(ready, (int) crc.getValue());
        writeIntLe(ready, (int) deflater.getBytesRead());
        end();
        return ByteBuffer.wrap(ready.toByteArray());
    }

    /** Frees the deflater; safe to call more than once. */
    void end() {
        deflater.end();
    }

    private ByteArrayOutputStream start() {
        ByteArrayOutputStream ready = new ByteArrayOutputStream();
        if (!headerSent) {
            headerSent = true;
            ready.writeBytes(HEADER);
        }
        return ready;
    }

    /** Takes every byte the deflater has for this mode: it is done once it leaves room in the step. */
    private void drain(ByteArrayOutputStream ready, int mode) {
        while (true) {
            int n = deflater.deflate(step, 0, step.length, mode);
            ready.write(step, 0, n);
            if (n < step.length && deflater.needsInput()) {
                return;
            }
        }
    }

    private static void writeIntLe(ByteArrayOutputStream out, int value) {
        out.write(value);
        out.write(value >>> 8);
        out.write(value >>> 16);
        out.write(value >>> 24);
    }
}
