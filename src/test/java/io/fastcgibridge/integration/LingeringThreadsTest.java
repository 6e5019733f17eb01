package io.fastcgibridge.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The completion threads: every task offered runs, whatever the timing of the offers against the
 * threads lingering and sleeping; a blocked task holds only its thread; the queue is bounded; a
 * stop drains in time or says what it dropped.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LingeringThreadsTest {

    private static final ThreadFactory DAEMONS = task -> {
        Thread thread = new Thread(task, "lingering-test");
        thread.setDaemon(true);
        return thread;
    };

    @Test
    void everyTaskOfferedFromManyThreadsRuns() throws Exception {
        LingeringThreads threads = new LingeringThreads(4, 100_000, DAEMONS);
        int producers = 4;
        int each = 20_000;
        CountDownLatch ran = new CountDownLatch(producers * each);
        List<Thread> started = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            Thread producer = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    assertTrue(threads.offer(ran::countDown));
                    if (i % 1_000 == 0) {
                        // let the threads run dry, linger and fall asleep now and then
                        sleepMillis(3);
                    }
                }
            });
            producer.start();
            started.add(producer);
        }
        for (Thread producer : started) {
            producer.join();
        }

        assertTrue(ran.await(10, TimeUnit.SECONDS), ran.getCount() + " tasks never ran");
        threads.stop(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void aTaskOfferedLongAfterTheLastOneWakesASleepingThread() throws Exception {
        LingeringThreads threads = new LingeringThreads(2, 10, DAEMONS);
        for (int i = 0; i < 5; i++) {
            CountDownLatch ran = new CountDownLatch(1);
            assertTrue(threads.offer(ran::countDown));
            assertTrue(ran.await(2, TimeUnit.SECONDS), "task " + i + " did not run");
            sleepMillis(20);
        }
        threads.stop(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void aBlockedTaskHoldsOnlyItsOwnThread() throws Exception {
        LingeringThreads threads = new LingeringThreads(4, 100, DAEMONS);
        CountDownLatch release = blockOneThread(threads);

        CountDownLatch others = new CountDownLatch(20);
        for (int i = 0; i < 20; i++) {
            threads.offer(others::countDown);
        }

        assertTrue(others.await(2, TimeUnit.SECONDS), others.getCount() + " tasks waited behind the blocked one");
        release.countDown();
        threads.stop(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void aFullQueueRefusesAndRunsNothingOfWhatItRefused() throws Exception {
        LingeringThreads threads = new LingeringThreads(1, 3, DAEMONS);
        CountDownLatch release = blockOneThread(threads);
        AtomicInteger ran = new AtomicInteger();
        int accepted = 0;
        for (int i = 0; i < 10; i++) {
            if (threads.offer(ran::incrementAndGet)) {
                accepted++;
            }
        }

        assertEquals(3, accepted, "the queue holds 3 while the only thread is blocked");
        release.countDown();
        LingeringThreads.Stopped stopped = threads.stop(TimeUnit.SECONDS.toNanos(2));
        assertTrue(stopped.inTime());
        assertEquals(3, ran.get(), "what was accepted ran, what was refused did not");
    }

    @Test
    void aStopDeliversWhatIsQueuedThenRefuses() throws Exception {
        LingeringThreads threads = new LingeringThreads(2, 1_000, DAEMONS);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 500; i++) {
            threads.offer(() -> {
                ran.incrementAndGet();
                sleepMillis(1);
            });
        }

        LingeringThreads.Stopped stopped = threads.stop(TimeUnit.SECONDS.toNanos(10));

        assertEquals(new LingeringThreads.Stopped(true, 0), stopped);
        assertEquals(500, ran.get());
        assertFalse(threads.offer(ran::incrementAndGet), "a stopped pool takes nothing");
    }

    @Test
    void aStopPastItsTimeInterruptsTheStuckTaskAndCountsWhatItDropped() throws Exception {
        LingeringThreads threads = new LingeringThreads(1, 10, DAEMONS);
        CountDownLatch blocking = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        threads.offer(() -> {
            blocking.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        assertTrue(blocking.await(2, TimeUnit.SECONDS));
        threads.offer(() -> { });
        threads.offer(() -> { });

        LingeringThreads.Stopped stopped = threads.stop(TimeUnit.MILLISECONDS.toNanos(200));

        assertEquals(new LingeringThreads.Stopped(false, 2), stopped);
        for (int i = 0; i < 100 && !interrupted.get(); i++) {
            sleepMillis(10);
        }
        assertTrue(interrupted.get(), "the stuck task was interrupted");
    }

    /** Offers a task that blocks its thread until the returned latch opens, and waits until it runs. */
    private static CountDownLatch blockOneThread(LingeringThreads threads) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        assertTrue(threads.offer(() -> {
            blocking.countDown();
            await(release);
        }));
        assertTrue(blocking.await(2, TimeUnit.SECONDS), "the blocking task never ran");
        return release;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
