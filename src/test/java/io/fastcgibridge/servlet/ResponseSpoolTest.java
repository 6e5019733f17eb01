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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response spool on its own, its disk work and its clock run by hand: bytes come out in order
 * whatever mix of memory and file they went through, a client that keeps up never costs a disk
 * write, the producer never waits for the disk, and every limit holds.
 */
class ResponseSpoolTest {

    private static final int KIB = 1024;
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @TempDir
    Path dir;

    private final ManualExecutor disk = new ManualExecutor();
    private final ManualTimer timer = new ManualTimer();
    private final Events events = new Events();

    @AfterEach
    void closeFiles() {
        disk.runAll();
    }

    private ResponseSpool spool(int memory, int file) {
        return spool(memory, file, dir);
    }

    private ResponseSpool spool(int memory, int file, Path folder) {
        return new ResponseSpool(memory, file, new SpoolFiles(folder, disk, timer, timer::now), events);
    }

    @Test
    void everyByteComesOutInOrderWhateverWayItWent() throws IOException {
        for (long seed = 1; seed <= 30; seed++) {
            Random random = new Random(seed);
            ResponseSpool spool = spool(8 * KIB, 64 * KIB);
            byte[] sent = new byte[300 * KIB];
            random.nextBytes(sent);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            ByteBuffer fileBuffer = ByteBuffer.allocate(3 * KIB);
            int offset = 0;
            long mostHeld = 0;
            while (received.size() < sent.length) {
                int move = random.nextInt(5);
                if (move == 0 && offset < sent.length && !events.paused) {
                    int n = Math.min(sent.length - offset, 1 + random.nextInt(5 * KIB));
                    events.paused = !spool.add(ByteBuffer.wrap(sent, offset, n));
                    offset += n;
                } else if (move == 1) {
                    ByteBuffer next = spool.take(() -> fileBuffer);
                    if (next != null) {
                        received.write(next.array(), next.arrayOffset() + next.position(), next.remaining());
                    }
                } else if (move == 2) {
                    timer.advance(random.nextInt(60) * MS);
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
        assertTrue(disk.ran > 0, "some bytes went through the file");
        assertEquals(List.of(), events.diskFailures);
    }

    @Test
    void aClientThatKeepsUpNeverCostsADiskWrite() throws IOException {
        ResponseSpool spool = spool(4 * KIB, 1024 * KIB);
        for (int round = 0; round < 20; round++) {
            while (spool.add(ByteBuffer.wrap(new byte[KIB]))) {
                assertEquals(0, disk.queued());
            }
            timer.advance(4 * MS);
            spool.take(() -> ByteBuffer.allocate(KIB));
            spool.take(() -> ByteBuffer.allocate(KIB));
        }

        assertEquals(20, events.roomAgain, "each pause ended when the client took half");
        assertEquals(0, disk.ran, "80 ms of waiting in all: no disk write");
        assertEquals(0, OpenFiles.count(dir.toString()));
        spool.close();
    }

    @Test
    void manySlowClientsTogetherHoldNoMoreThanTheSharedBudget() throws IOException {
        SpoolMemory shared = new SpoolMemory(16 * KIB);
        SpoolFiles files = new SpoolFiles(dir, disk, timer, timer::now, shared);
        List<ResponseSpool> spools = new ArrayList<>();
        List<Events> producers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Events producer = new Events();
            producers.add(producer);
            spools.add(new ResponseSpool(1024 * KIB, 1024 * KIB, files, producer));
        }
        for (int round = 0; round < 64; round++) {
            for (int i = 0; i < spools.size(); i++) {
                if (!producers.get(i).paused) {
                    producers.get(i).paused = !spools.get(i).add(ByteBuffer.wrap(new byte[KIB]));
                }
            }
        }

        assertTrue(shared.held() <= 16 * KIB + 8 * KIB, "one piece over the budget at most per spool: "
                + shared.held());
        assertTrue(producers.stream().allMatch(p -> p.paused), "every producer waits, far below its own limit");
        timer.advance(ResponseSpool.SPILL_AFTER_NANOS);
        disk.runAll();
        assertEquals(0, shared.held(), "the slow clients' bytes went to disk");
        assertTrue(producers.stream().noneMatch(p -> p.paused), "and every producer goes on");
        spools.forEach(ResponseSpool::close);
        disk.runAll();
        assertEquals(0, shared.held());
    }

    @Test
    void aClosedSpoolGivesItsShareOfTheBudgetBack() throws IOException {
        SpoolMemory shared = new SpoolMemory(64 * KIB);
        ResponseSpool spool = new ResponseSpool(1024 * KIB, 1024 * KIB,
                new SpoolFiles(dir, disk, timer, timer::now, shared), events);
        for (int i = 0; i < 8; i++) {
            spool.add(ByteBuffer.wrap(new byte[KIB]));
        }
        spool.take(() -> ByteBuffer.allocate(KIB));
        assertEquals(7 * KIB, shared.held());

        spool.close();

        assertEquals(0, shared.held());
    }

    @Test
    void aSlowClientsResponseGoesToDiskAndTheProducerGoesOn() throws IOException {
        ResponseSpool spool = spool(4 * KIB, 1024 * KIB);
        for (int i = 0; i < 3; i++) {
            assertTrue(spool.add(ByteBuffer.wrap(new byte[KIB])));
        }
        assertFalse(spool.add(ByteBuffer.wrap(new byte[KIB])), "memory is full");

        timer.advance(ResponseSpool.SPILL_AFTER_NANOS);

        assertEquals(1, disk.queued(), "the write waits for a disk thread, not done by the timer");
        assertEquals(4 * KIB, spool.memoryBytes());
        disk.runAll();
        assertEquals(0, spool.memoryBytes(), "the bytes went to the file");
        assertEquals(1, events.roomAgain);
        assertEquals(1, OpenFiles.count(dir.toString()));
        for (int i = 0; i < 8; i++) {
            assertTrue(spool.add(ByteBuffer.wrap(new byte[KIB])), "a slow client's response goes on to disk");
            disk.runAll();
        }
        spool.close();
        disk.runAll();
        assertEquals(0, OpenFiles.count(dir.toString()), "closing frees the file");
    }

    @Test
    void aClientThatStopsAfterTakingALittleStillGetsTheProducerGoing() throws IOException {
        ResponseSpool spool = spool(4 * KIB, 1024 * KIB);
        for (int i = 0; i < 4; i++) {
            spool.add(ByteBuffer.wrap(new byte[KIB]));
        }
        spool.take(() -> ByteBuffer.allocate(KIB));

        timer.advance(ResponseSpool.SPILL_AFTER_NANOS);
        disk.runAll();

        assertEquals(0, spool.memoryBytes(), "what the client left went to disk");
        assertEquals(1, events.roomAgain, "and the producer goes on");
        spool.close();
    }

    @Test
    void pastTheFileLimitTheProducerWaitsForTheClient() throws IOException {
        ResponseSpool spool = spool(2 * KIB, 8 * KIB);
        int accepted = 0;
        boolean paused = false;
        while (!paused && accepted < 64 * KIB) {
            events.roomAgain = 0;
            boolean goOn = spool.add(ByteBuffer.wrap(new byte[KIB]));
            accepted += KIB;
            timer.advance(ResponseSpool.SPILL_AFTER_NANOS);
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
        assertEquals(1, events.roomAgain, "the client took half the memory: the producer goes on");
        spool.close();
    }

    @Test
    void aDiskThatFailsKeepsEveryByteInMemory() throws IOException {
        ResponseSpool spool = spool(4 * KIB, 1024 * KIB, dir.resolve("missing"));
        byte[] sent = new byte[6 * KIB];
        new Random(5).nextBytes(sent);

        boolean first = spool.add(ByteBuffer.wrap(sent, 0, 4 * KIB));
        timer.advance(ResponseSpool.SPILL_AFTER_NANOS);
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
    void onceThePhpIsDoneWhatASlowClientLeavesGoesToDisk() throws IOException {
        ResponseSpool large = spool(4 * KIB, 1024 * KIB);
        ResponseSpool small = spool(4 * KIB, 1024 * KIB);
        ResponseSpool taken = spool(4 * KIB, 1024 * KIB);
        large.add(ByteBuffer.wrap(new byte[4 * KIB]));
        timer.advance(ResponseSpool.SPILL_AFTER_NANOS);
        disk.runAll();
        large.add(ByteBuffer.wrap(new byte[KIB]));
        small.add(ByteBuffer.wrap(new byte[KIB]));
        taken.add(ByteBuffer.wrap(new byte[KIB]));

        large.producerDone();
        small.producerDone();
        taken.producerDone();
        disk.runAll();
        assertEquals(0, large.memoryBytes(), "a client known to be slow: to disk at once");
        assertEquals(KIB, small.memoryBytes(), "the client has a moment to take it from memory");
        taken.take(() -> ByteBuffer.allocate(KIB));
        timer.advance(ResponseSpool.SPILL_AFTER_NANOS);
        disk.runAll();

        assertEquals(0, small.memoryBytes(), "a client that did not take it holds no memory for long");
        assertTrue(taken.isEmpty());
        assertEquals(2, OpenFiles.count(dir.toString()), "only the slow clients' responses went to disk");
        large.close();
        small.close();
        taken.close();
    }

    @Test
    void aConsumerWaitingForBytesOnTheirWayToTheFileIsToldWhenTheyArrive() throws IOException {
        ResponseSpool spool = spool(2 * KIB, 1024 * KIB);
        spool.add(ByteBuffer.wrap(new byte[2 * KIB]));
        timer.advance(ResponseSpool.SPILL_AFTER_NANOS);

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

    /** A clock moved by hand, running the tasks that fall due. */
    private static final class ManualTimer implements SpoolFiles.Timer {
        private final List<long[]> due = new ArrayList<>();
        private final List<Runnable> tasks = new ArrayList<>();
        private long now;

        long now() {
            return now;
        }

        @Override
        public void schedule(Runnable task, long delayNanos) {
            due.add(new long[] {now + delayNanos});
            tasks.add(task);
        }

        void advance(long nanos) {
            now += nanos;
            for (int i = 0; i < tasks.size(); i++) {
                if (due.get(i)[0] <= now) {
                    Runnable task = tasks.remove(i);
                    due.remove(i);
                    i--;
                    task.run();
                }
            }
        }
    }

    /** Runs queued tasks only when told, on the test's thread. */
    private static final class ManualExecutor extends AbstractExecutorService {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        private boolean shutdown;
        int ran;

        int queued() {
            return tasks.size();
        }

        void runOne() {
            Runnable task = tasks.pollFirst();
            if (task != null) {
                ran++;
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
