package io.fastcgibridge.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file body is read on the executor it was given, never by the thread that pulls it (a FastCGI
 * I/O thread): that thread gets 0 and a signal once the bytes are in memory.
 */
class FileBodyReaderTest {

    @TempDir
    Path dir;

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final Executor byHand = tasks::addLast;

    @Test
    void thePullingThreadOnlyCopiesWhatTheExecutorRead() throws IOException {
        byte[] content = new byte[200_000];
        new Random(9).nextBytes(content);
        Path file = Files.write(dir.resolve("body.bin"), content);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            RequestBody body = RequestBody.of(channel, content.length, byHand);
            ByteArrayOutputStream pulled = new ByteArrayOutputStream();
            AtomicInteger signals = new AtomicInteger();
            try (BodyReader reader = body.open()) {
                ByteBuffer target = ByteBuffer.allocate(10_000);
                int n;
                while ((n = reader.read(target.clear())) != -1) {
                    if (n == 0) {
                        reader.onReadable(signals::incrementAndGet);
                        assertEquals(1, tasks.size(), "a read is queued, not done on the pulling thread");
                        tasks.removeFirst().run();
                    } else {
                        pulled.write(target.array(), 0, n);
                    }
                }
            }
            assertArrayEquals(content, pulled.toByteArray());
            assertEquals((content.length + FileBodyReader.BUFFER_SIZE - 1) / FileBodyReader.BUFFER_SIZE, signals.get());
            assertTrue(channel.isOpen(), "the caller's channel stays open, so the body can be sent again");
            assertTrue(body.isRepeatable());
        }
    }

    @Test
    void aFileShorterThanPromisedFailsTheRead() throws IOException {
        Path file = Files.write(dir.resolve("short.bin"), new byte[100]);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                BodyReader reader = RequestBody.of(channel, 1000, byHand).open()) {
            assertEquals(0, reader.read(ByteBuffer.allocate(4096)));
            tasks.removeFirst().run();

            assertThrows(IOException.class, () -> reader.read(ByteBuffer.allocate(4096)));
        }
    }
}
