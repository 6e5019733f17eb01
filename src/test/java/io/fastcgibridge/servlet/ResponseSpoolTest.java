package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.OpenFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response spool on its own, its disk work run by hand: bytes come out in order whatever
 * mix of memory and file they went through, the producer never waits for the disk, and every
 * limit holds.
 */
class ResponseSpoolTest {

    private static final int KIB = 1024;

    @TempDir
    Path dir;

    private final ManualExecutor disk = new ManualExecutor();
    private final Events events = new Events();

    @AfterEach
    void closeFiles() {
        disk.runAll();
    }

    @Test
    void everyByteComesOutInOrderWhateverWayItWent() throws IOException {
        for (long seed = 1; seed <= 30; seed++) {
            Random random = new Random(seed);
            ResponseSpool spool = new ResponseSpool(8 * KIB, 64 * KIB, new SpoolFiles(dir, disk), events);
            byte[] sent = new byte[300 * KIB];
            random.nextBytes(sent);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            ByteBuffer fileBuffer = ByteBuffer.allocate(3 * KIB);
            int offset = 0;
            long mostHeld = 0;
            while (received.size() < sent.length) {
                int move = random.nextInt(4);
                if (move == 0 && offset < sent.length && !events.paused) {
                    int n = Math.min(sent.length - offset, 1 + random.nextInt(5 * KIB));
                    events.paused = !spool.add(ByteBuffer.wrap(sent, offset, n));
                    offset += n;
                } else if (move == 1) {
                    ByteBuffer next = spool.take(() -> fileBuffer);
                    if (next != null) {
                        received.write(next.array(), next.arrayOffset() + next.position(), next.remaining());
                    }
                } else {
                    disk.runOne();
                }
                mostHeld = Math.max(mostHeld, spool.memoryBytes());
            }
            assertArrayEquals(sent, received.toByteArray(), "seed " + seed);
            assertTrue(spool.isEmpty());
            assertTrue(mostHeld < 8 * KIB + 5 * KIB, "held " + mostHeld + " bytes in memory, seed " + seed);
            spool.close();
        }
        disk.runAll();
        assertEquals(List.of(), events.diskFailures);
    }

    @Test
    void theProducerHandsTheDiskWorkOverAndGoesOn() throws IOException {
        ResponseSpool spool = new ResponseSpool(4 * KIB, 1024 * KIB, new SpoolFiles(dir, disk), events);

        for (int i = 0; i < 3; i++) {
            assertTrue(spool.add(ByteBuffer.wrap(new byte[KIB])));
        }
        boolean goOn = spool.add(ByteBuffer.wrap(new byte[KIB]));

        assertFalse(goOn, "memory is full until the disk has taken the first batch");
        assertEquals(1, disk.queued(), "the write waits for a disk thread");
        assertEquals(4 * KIB, spool.memoryBytes());
        disk.runAll();
        assertEquals(0, spool.memoryBytes(), "the batch went to the file");
        assertEquals(1, events.roomAgain);
        assertEquals(1, OpenFiles.count(dir.toString()));
        spool.close();
        disk.runAll();
        assertEquals(0, OpenFiles.count(dir.toString()), "closing frees the file");
    }

    @Test
    void pastTheFileLimitTheProducerWaitsForTheClient() throws IOException {
        ResponseSpool spool = new ResponseSpool(2 * KIB, 8 * KIB, new SpoolFiles(dir, disk), events);
        int accepted = 0;
        boolean paused = false;
        while (!paused && accepted < 64 * KIB) {
            events.roomAgain = 0;
            boolean goOn = spool.add(ByteBuffer.wrap(new byte[KIB]));
            accepted += KIB;
            disk.runAll();
            paused = !goOn && events.roomAgain == 0;
        }

        assertEquals(8 * KIB + 2 * KIB, accepted, "the file, then memory, filled up");
        ByteBuffer fileBuffer = ByteBuffer.allocate(KIB);
        for (int i = 0; i < 8; i++) {
            assertEquals(KIB, spool.take(() -> fileBuffer).remaining());
        }
        assertEquals(0, events.roomAgain, "reading the file frees no memory");
        assertEquals(KIB, spool.take(() -> fileBuffer).remaining());
        assertEquals(1, events.roomAgain, "the client took a piece of memory: PHP goes on");
        spool.close();
        disk.runAll();
    }

    @Test
    void aDiskThatFailsKeepsEveryByteInMemory() throws IOException {
        ResponseSpool spool = new ResponseSpool(4 * KIB, 1024 * KIB, new SpoolFiles(dir.resolve("missing"), disk),
                events);
        byte[] sent = new byte[6 * KIB];
        new Random(5).nextBytes(sent);

        boolean first = spool.add(ByteBuffer.wrap(sent, 0, 4 * KIB));
        disk.runAll();
        boolean second = spool.add(ByteBuffer.wrap(sent, 4 * KIB, 2 * KIB));

        assertFalse(first);
        assertFalse(second, "without a file, memory is all there is");
        assertEquals(1, events.diskFailures.size());
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteBuffer next;
        while ((next = spool.take(() -> ByteBuffer.allocate(KIB))) != null) {
            received.write(next.array(), next.position(), next.remaining());
        }
        assertArrayEquals(sent, received.toByteArray());
        assertTrue(events.roomAgain > 0);
        spool.close();
    }

    @Test
    void onceThePhpIsDoneAResponseOnDiskGoesThereWhole() throws IOException {
        ResponseSpool large = new ResponseSpool(4 * KIB, 1024 * KIB, new SpoolFiles(dir, disk), events);
        ResponseSpool small = new ResponseSpool(4 * KIB, 1024 * KIB, new SpoolFiles(dir, disk), events);
        large.add(ByteBuffer.wrap(new byte[4 * KIB]));
        disk.runAll();
        large.add(ByteBuffer.wrap(new byte[KIB]));
        small.add(ByteBuffer.wrap(new byte[KIB]));

        large.producerDone();
        small.producerDone();
        disk.runAll();

        assertEquals(0, large.memoryBytes(), "a slow client of a large response holds no memory");
        assertEquals(KIB, small.memoryBytes(), "a response that fits in memory stays there");
        large.close();
        small.close();
        disk.runAll();
    }

    @Test
    void aConsumerWaitingForBytesOnTheirWayToTheFileIsToldWhenTheyArrive() throws IOException {
        ResponseSpool spool = new ResponseSpool(2 * KIB, 1024 * KIB, new SpoolFiles(dir, disk), events);
        spool.add(ByteBuffer.wrap(new byte[2 * KIB]));

        assertNull(spool.take(() -> ByteBuffer.allocate(KIB)), "the bytes are being written");
        assertFalse(spool.isEmpty());
        disk.runAll();

        assertEquals(1, events.readable);
        assertEquals(KIB, spool.take(() -> ByteBuffer.allocate(KIB)).remaining());
        spool.close();
    }

    /** Records what the spool says. */
    private static final class Events implements ResponseSpool.Listener {
        boolean paused;
        int roomAgain;
        int readable;
        final List<Exception> diskFailures = new CopyOnWriteArrayList<>();

        @Override
        public void roomAgain() {
            paused = false;
            roomAgain++;
        }

        @Override
        public void readable() {
            readable++;
        }

        @Override
        public void diskFailed(Exception cause) {
            diskFailures.add(cause);
        }
    }

    /** Runs queued tasks only when told, on the test's thread. */
    private static final class ManualExecutor extends AbstractExecutorService {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        private boolean shutdown;

        int queued() {
            return tasks.size();
        }

        void runOne() {
            Runnable task = tasks.pollFirst();
            if (task != null) {
                task.run();
            }
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                runOne();
            }
        }

        @Override
        public void execute(Runnable command) {
            tasks.addLast(command);
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.copyOf(tasks);
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown && tasks.isEmpty();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return isTerminated();
        }
    }
}
