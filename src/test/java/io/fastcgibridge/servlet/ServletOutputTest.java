package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

public class ServletOutputTest {

    /** A Servlet 6.0 container's stream: bytes only. */
    public static class BytesOnlyStream extends ServletOutputStream {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        int writes;

        @Override
        public void write(int b) {
            written.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            writes++;
            written.write(bytes, offset, length);
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
        }
    }

    /** A container stream with its own {@code write(ByteBuffer)}, as Tomcat 10.1's and Servlet 6.1's. */
    public static class BufferStream extends BytesOnlyStream {
        int bufferWrites;

        public void write(ByteBuffer buffer) {
            bufferWrites++;
            // Takes only half, as a container predating Servlet 6.1 might: the rest must still arrive, once.
            byte[] half = new byte[buffer.remaining() / 2];
            buffer.get(half);
            written.writeBytes(half);
        }
    }

    private static ByteBuffer directPattern(int length) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(length);
        for (int i = 0; i < length; i++) {
            buffer.put((byte) (i * 31 + 7));
        }
        return buffer.flip();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** Writes a direct buffer of {@code length} patterned bytes and checks they all arrived, once, in order. */
    private static void assertWrittenWhole(BytesOnlyStream stream, int length) throws IOException {
        ByteBuffer chunk = directPattern(length);
        byte[] expected = bytes(chunk);

        new ServletOutput(stream).write(chunk);

        assertArrayEquals(expected, stream.written.toByteArray());
        assertFalse(chunk.hasRemaining(), "the chunk is consumed");
    }

    @Test
    void aDirectBufferReachesAStreamWithoutBufferWritesWhole() throws IOException {
        assertWrittenWhole(new BytesOnlyStream(), 40_000);
    }

    @Test
    void aHeapBufferGoesToTheStreamInOneWrite() throws IOException {
        BytesOnlyStream stream = new BytesOnlyStream();
        ByteBuffer chunk = ByteBuffer.wrap("xxHello Worldxx".getBytes()).position(2).limit(13).slice();

        new ServletOutput(stream).write(chunk);

        assertEquals("Hello World", stream.written.toString());
        assertEquals(1, stream.writes);
    }

    @Test
    void theContainersOwnBufferWriteIsUsedFirstAndNothingIsLostOrRepeated() throws IOException {
        BufferStream stream = new BufferStream();

        assertWrittenWhole(stream, 1000);

        assertEquals(1, stream.bufferWrites);
    }
}
