package io.fastcgibridge.servlet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The bytes of one response that the HTTP client has not taken yet, in order: in memory up to a
 * limit, past it in a temporary file holding up to a second limit (nginx's {@code fastcgi_buffers}
 * and {@code fastcgi_max_temp_file_size}), so that PHP can finish while the client is slow. Past
 * both, the producer is told to pause. The file is written by disk threads: the producer, a
 * FastCGI I/O thread, only copies into memory.
 *
 * <p>The spools of an application also share one memory budget ({@link SpoolMemory}): while
 * they hold it all, any spool that is added to tells its producer to pause, whatever its own limit.
 *
 * <p>Unlike nginx, a response goes to disk only once its client has proved slow: when bytes have
 * waited for it {@link #SPILL_AFTER_NANOS} in all, the producer paused by a full memory or done.
 * Until then a full memory pauses the producer, so a client that keeps up never costs a disk write.
 *
 * <p>In stream order the bytes are: the file's unread part, a batch on its way to the file, then
 * memory. Threading: {@link #add} comes from the producer, {@link #take} from one consumer at a
 * time; one lock guards the state and is never held during disk I/O. The {@link Listener} is
 * called without the lock.
 */
final class ResponseSpool {

    /** What the spool tells its owner. */
    interface Listener {
        /** {@link #add} said "full" before and there is room again. */
        void roomAgain();

        /** {@link #take} found nothing it could hand out then, and now there is. */
        void readable();

        /** The file could not be used; the spool goes on in memory alone. */
        void diskFailed(Exception cause);
    }

    /** How long, in all, the producer waits for a client before the response may go to disk. */
    static final long SPILL_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final long memoryLimit;
    private final long fileLimit;
    private final SpoolFiles files;
    private final Listener listener;
    private final ArrayDeque<byte[]> memory = new ArrayDeque<>();
    private long memoryBytes;
    /** What this spool has counted in the shared budget: memory and the batch in transit. */
    private long counted;
    private List<byte[]> inTransit = List.of();
    private long inTransitBytes;
    private boolean writing;
    private FileChannel file;
    private long fileWritten;
    private long fileRead;
    private boolean diskBroken;
    private Exception diskFailure;
    private boolean full;
    private long pausedSince;
    private long pausedNanos;
    private boolean slow;
    private boolean slowCheckDue;
    private boolean producerDone;
    private boolean consumerWaiting;
    private boolean closed;

    ResponseSpool(long memoryLimit, long fileLimit, SpoolFiles files, Listener listener) {
        this.memoryLimit = memoryLimit;
        this.fileLimit = fileLimit;
        this.files = files;
        this.listener = listener;
    }

    /** Copies {@code chunk}; returns {@code false} when the producer should pause until {@link Listener#roomAgain}. */
    boolean add(ByteBuffer chunk) {
        byte[] copy = new byte[chunk.remaining()];
        chunk.get(copy);
        Exception disk;
        boolean result;
        synchronized (this) {
            if (closed) {
                return true;
            }
            memory.addLast(copy);
            memoryBytes += copy.length;
            count();
            startWriteIfDue();
            if (!full && (memoryBytes + inTransitBytes >= pauseAt() || files.memory().exhausted())) {
                paused();
            }
            disk = takeDiskFailure();
            result = !full;
        }
        report(disk);
        return result;
    }

    /**
     * Nothing more will be added. What memory still holds counts as waiting for the client: if it
     * has not taken it within what is left of {@link #SPILL_AFTER_NANOS}, it goes to disk, so
     * that a slow client never holds memory for long, whatever the size of its response.
     */
    void producerDone() {
        Exception disk;
        synchronized (this) {
            producerDone = true;
            if (!slow && !full && memoryBytes > 0) {
                pausedSince = files.now();
                scheduleSlowCheck();
            }
            startWriteIfDue();
            disk = takeDiskFailure();
        }
        report(disk);
    }

    synchronized boolean isEmpty() {
        return memoryBytes == 0 && inTransitBytes == 0 && fileRead == fileWritten;
    }

    /** Bytes held in memory, including a batch being written; for tests and metrics. */
    synchronized long memoryBytes() {
        return memoryBytes + inTransitBytes;
    }

    /**
     * The next bytes for the client, to be written whole: a block of memory, or a piece of the
     * file read into a buffer from {@code fileBuffers} (on the calling thread, which may block on
     * the disk). {@code null} when nothing can be handed out now; if bytes are on their way to
     * the file, {@link Listener#readable} follows.
     */
    ByteBuffer take(Supplier<ByteBuffer> fileBuffers) throws IOException {
        long unread;
        long from;
        FileChannel source;
        byte[] block = null;
        boolean room = false;
        synchronized (this) {
            if (closed) {
                return null;
            }
            unread = fileWritten - fileRead;
            from = fileRead;
            source = file;
            if (unread == 0) {
                block = nextBlock();
                room = block != null && roomAgain();
            }
        }
        if (room) {
            listener.roomAgain();
        }
        if (unread == 0) {
            return block == null ? null : ByteBuffer.wrap(block);
        }
        return readFile(source, from, unread, fileBuffers.get());
    }

    /** With the lock, the file all read: the first block of memory, unless bytes are on their way to the file. */
    private byte[] nextBlock() {
        if (inTransitBytes > 0) {
            consumerWaiting = true;
            return null;
        }
        byte[] block = memory.pollFirst();
        if (block != null) {
            memoryBytes -= block.length;
            count();
        }
        return block;
    }

    /** Reads the next piece of the file, without the lock: only the consumer reads, and only what was written. */
    private ByteBuffer readFile(FileChannel source, long from, long unread, ByteBuffer target) throws IOException {
        int length = (int) Math.min(unread, target.capacity());
        SpoolFiles.readFully(source, from, target.clear().limit(length));
        synchronized (this) {
            fileRead += length;
            if (fileRead == fileWritten && !writing) {
                // All the file has been read: it is written again from its start.
                fileRead = 0;
                fileWritten = 0;
            }
        }
        return target.flip();
    }

    /** Drops everything and frees the file (on a disk thread); a write under way ends on its own. */
    void close() {
        FileChannel toClose;
        synchronized (this) {
            closed = true;
            memory.clear();
            memoryBytes = 0;
            // A write under way keeps its batch only until it ends.
            inTransit = List.of();
            inTransitBytes = 0;
            count();
            toClose = file;
            file = null;
        }
        files.release(toClose);
    }

    /** With the lock: the producer is told to wait; if its client is not known to be slow yet, that is timed. */
    private void paused() {
        full = true;
        pausedSince = files.now();
        scheduleSlowCheck();
    }

    private void scheduleSlowCheck() {
        if (!slow && !slowCheckDue && !diskBroken && fileLimit > fileWritten) {
            slowCheckDue = true;
            try {
                files.later(this::checkSlow, SPILL_AFTER_NANOS - pausedNanos);
            } catch (RejectedExecutionException e) {
                slowCheckDue = false;
                slow = true;
            }
        }
    }

    /** With the lock: whether bytes wait for the client, the producer being paused or done. */
    private boolean waitingForClient() {
        return full || (producerDone && memoryBytes > 0);
    }

    /** On the timer: bytes still waiting for the client have waited long enough in all, or are timed again. */
    private void checkSlow() {
        Exception disk;
        synchronized (this) {
            slowCheckDue = false;
            if (closed || slow || !waitingForClient()) {
                return;
            }
            long waited = pausedNanos + files.now() - pausedSince;
            if (waited < SPILL_AFTER_NANOS) {
                pausedNanos = waited;
                pausedSince = files.now();
                scheduleSlowCheck();
                return;
            }
            slow = true;
            startWriteIfDue();
            disk = takeDiskFailure();
        }
        report(disk);
    }

    /**
     * With the lock: sends what memory holds towards the file, once the client proved slow: all of
     * it while the producer waits or is done, else once there is half the memory limit.
     */
    private void startWriteIfDue() {
        long due = waitingForClient() ? 1 : Math.max(1, memoryLimit / 2);
        if (!slow || writing || diskBroken || memoryBytes < due) {
            return;
        }
        long room = fileLimit - fileWritten;
        List<byte[]> batch = new ArrayList<>();
        long bytes = 0;
        while (!memory.isEmpty() && bytes + memory.peekFirst().length <= room) {
            byte[] block = memory.pollFirst();
            batch.add(block);
            bytes += block.length;
        }
        if (batch.isEmpty()) {
            return;
        }
        inTransit = batch;
        inTransitBytes = bytes;
        memoryBytes -= bytes;
        writing = true;
        try {
            files.io().execute(this::write);
        } catch (RejectedExecutionException e) {
            writing = false;
            giveBack(0);
            diskFailure = e;
        }
    }

    /** On a disk thread: writes the batch in transit at the end of the file, without the lock. */
    private void write() {
        FileChannel target;
        long at;
        List<byte[]> batch;
        synchronized (this) {
            target = file;
            at = fileWritten;
            batch = inTransit;
        }
        int blocks = 0;
        long written = 0;
        Exception failure = null;
        try {
            if (target == null) {
                target = opened(files.create("response-"));
            }
            for (byte[] block : batch) {
                ByteBuffer bytes = ByteBuffer.wrap(block);
                while (bytes.hasRemaining()) {
                    target.write(bytes, at + written + bytes.position());
                }
                written += block.length;
                blocks++;
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
        committed(blocks, written, failure);
    }

    private synchronized FileChannel opened(FileChannel created) throws IOException {
        if (closed) {
            SpoolFiles.closeQuietly(created);
            throw new IOException("the response spool was closed");
        }
        file = created;
        return created;
    }

    private void committed(int blocks, long bytes, Exception failure) {
        boolean room;
        boolean readable;
        Exception disk;
        synchronized (this) {
            writing = false;
            if (closed) {
                return;
            }
            fileWritten += bytes;
            if (failure != null) {
                giveBack(blocks);
                diskFailure = failure;
            }
            inTransit = List.of();
            inTransitBytes = 0;
            count();
            startWriteIfDue();
            room = roomAgain();
            readable = consumerWaiting;
            consumerWaiting = false;
            disk = takeDiskFailure();
        }
        report(disk);
        if (room) {
            listener.roomAgain();
        }
        if (readable) {
            listener.readable();
        }
    }

    /** With the lock: the batch's blocks from {@code from} on go back in front of memory; the disk is given up. */
    private void giveBack(int from) {
        for (int i = inTransit.size() - 1; i >= from; i--) {
            byte[] block = inTransit.get(i);
            memory.addFirst(block);
            memoryBytes += block.length;
        }
        inTransit = List.of();
        inTransitBytes = 0;
        diskBroken = true;
    }

    /**
     * With the lock: whether a pause ends now. Only once memory is down to half the limit, so
     * that the producer is not woken for every piece the client takes.
     */
    private boolean roomAgain() {
        if (full && memoryBytes + inTransitBytes <= pauseAt() / 2) {
            full = false;
            pausedNanos += files.now() - pausedSince;
            return true;
        }
        return false;
    }

    /** With the lock: a disk failure not reported yet, reported once, without the lock. */
    private Exception takeDiskFailure() {
        Exception disk = diskFailure;
        diskFailure = null;
        return disk;
    }

    private void report(Exception disk) {
        if (disk != null) {
            listener.diskFailed(disk);
        }
    }

    /** With the lock: brings this spool's share of the common budget up to date. */
    private void count() {
        long holds = memoryBytes + inTransitBytes;
        files.memory().change(holds - counted);
        counted = holds;
    }

    private long pauseAt() {
        return Math.max(1, memoryLimit);
    }
}
