package io.fastcgibridge.servlet;

import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Writes a {@link ByteBuffer} to a servlet output stream: through the container's own
 * {@code write(ByteBuffer)} where it has one (Servlet 6.1 declares it; Tomcat 10.1 and Jetty 12
 * have it already), so that a direct buffer reaches the socket without a copy into the heap;
 * through a byte array otherwise.
 */
final class ServletOutput {

    private static final MethodType WRITE_BUFFER = MethodType.methodType(void.class, ByteBuffer.class);
    private static final int COPY_SIZE = 16 * 1024;

    /** Each stream class's public {@code write(ByteBuffer)}, when it has one. */
    private static final ClassValue<Optional<MethodHandle>> BUFFER_WRITES = new ClassValue<>() {
        @Override
        protected Optional<MethodHandle> computeValue(Class<?> type) {
            try {
                return Optional.of(MethodHandles.publicLookup().findVirtual(type, "write", WRITE_BUFFER));
            } catch (NoSuchMethodException | IllegalAccessException e) {
                return Optional.empty();
            }
        }
    };

    private final ServletOutputStream out;
    private final MethodHandle writeBuffer;
    private byte[] copy;

    ServletOutput(ServletOutputStream out) {
        this.out = out;
        this.writeBuffer = BUFFER_WRITES.get(out.getClass()).orElse(null);
    }

    /** Writes all that {@code chunk} holds and consumes it. */
    void write(ByteBuffer chunk) throws IOException {
        if (writeBuffer != null) {
            invoke(chunk);
        }
        // Servlet 6.1's write(ByteBuffer) takes everything; whatever a container left goes as bytes.
        if (!chunk.hasRemaining()) {
            return;
        }
        if (chunk.hasArray()) {
            out.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
            chunk.position(chunk.limit());
            return;
        }
        if (copy == null) {
            copy = new byte[COPY_SIZE];
        }
        while (chunk.hasRemaining()) {
            int n = Math.min(copy.length, chunk.remaining());
            chunk.get(copy, 0, n);
            out.write(copy, 0, n);
        }
    }

    private void invoke(ByteBuffer chunk) throws IOException {
        try {
            writeBuffer.invoke(out, chunk);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("the container's write(ByteBuffer) failed", e);
        }
    }
}
