package io.fastcgibridge.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a file body ahead on a blocking-I/O executor, so that the client's I/O thread only copies
 * bytes that are already in memory: it gets 0 while a read is under way and is signalled when it
 * is done. Holds one buffer of at most {@link #BUFFER_SIZE} bytes while the body is sent.
 *
 * <p>Threading: {@link #read} and {@link #close} come from the I/O thread, the filling from the
 * executor; one lock hands the buffer over.
 */
final class FileBodyReader implements BodyReader {

    /**
     * Large, since each fill costs two thread hand-overs; a body is read from a file only while it
     * is sent, so there are no more of these than connections to the backends.
     */
    static final int BUFFER_SIZE = 256 * 1024;

    /** For bodies whose creator named no executor: daemon threads that end when idle. */
    static final Executor SHARED = sharedExecutor();

    /** Opens the channel, on the executor, when the first read needs it. */
    interface Opener {
        FileChannel open() throws IOException;
    }

    private final Opener opener;
    private final boolean ownsChannel;
    private final long length;
    private final Executor executor;
    /**
     * Direct, so that the file is read into it without the JDK's copy through a temporary direct
     * buffer; no larger than the body.
     */
    private final ByteBuffer buffer;
    private FileChannel channel;
    private long position;
    private boolean filling;
    private boolean closed;
    private IOException failure;
    private Runnable signal;

    FileBodyReader(Opener opener, boolean ownsChannel, long length, Executor executor) {
        this.opener = opener;
        this.ownsChannel = ownsChannel;
        this.length = length;
        this.executor = executor;
        this.buffer = ByteBuffer.allocateDirect((int) Math.min(BUFFER_SIZE, Math.max(0, length))).limit(0);
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
        synchronized (this) {
            if (failure != null) {
                throw failure;
            }
            if (filling) {
                return 0;
            }
            if (buffer.hasRemaining()) {
                int n = Math.min(buffer.remaining(), target.remaining());
                target.put(buffer.slice(buffer.position(), n));
                buffer.position(buffer.position() + n);
                if (!buffer.hasRemaining()) {
                    startFill();
                }
                return n;
            }
            if (position >= length) {
                return -1;
            }
            startFill();
            return 0;
        }
    }

    @Override
    public void onReadable(Runnable whenReadable) {
        synchronized (this) {
            if (filling && failure == null && !closed) {
                signal = whenReadable;
                return;
            }
        }
        whenReadable.run();
    }

    @Override
    public void close() throws IOException {
        FileChannel toClose;
        synchronized (this) {
            closed = true;
            signal = null;
            // A fill under way closes the channel itself when it ends.
            toClose = filling ? null : channel;
            channel = null;
        }
        if (toClose != null && ownsChannel) {
            toClose.close();
        }
    }

    /** Called with the lock held and the buffer drained. */
    private void startFill() {
        if (position >= length || closed) {
            return;
        }
        filling = true;
        buffer.clear();
        try {
            executor.execute(this::fill);
        } catch (RejectedExecutionException e) {
            filled(new IOException("no thread to read the request body file: " + e.getMessage(), e));
        }
    }

    /** On the executor: fills the buffer from the file, outside the lock (the buffer is this thread's now). */
    private void fill() {
        IOException error = null;
        try {
            FileChannel source = channelForFill();
            if (source != null) {
                long want = Math.min(buffer.capacity(), length - position);
                buffer.limit((int) want);
                while (buffer.hasRemaining()) {
                    int n = source.read(buffer, position + buffer.position());
                    if (n < 0) {
                        throw new IOException("the request body file ended after " + (position + buffer.position())
                                + " of " + length + " bytes");
                    }
                }
                buffer.flip();
            }
        } catch (IOException e) {
            error = e;
        }
        filled(error);
    }

    private FileChannel channelForFill() throws IOException {
        FileChannel current;
        synchronized (this) {
            if (closed) {
                return null;
            }
            current = channel;
        }
        if (current == null) {
            current = opener.open();
            synchronized (this) {
                channel = current;
            }
        }
        return current;
    }

    private void filled(IOException error) {
        Runnable waiting;
        FileChannel toClose = null;
        synchronized (this) {
            filling = false;
            if (closed) {
                toClose = channel;
                channel = null;
                buffer.limit(0);
            } else if (error != null) {
                failure = error;
                buffer.limit(0);
            } else {
                position += buffer.remaining();
            }
            waiting = signal;
            signal = null;
        }
        if (toClose != null && ownsChannel) {
            try {
                toClose.close();
            } catch (IOException ignored) {
                // the request is over
            }
        }
        if (waiting != null) {
            waiting.run();
        }
    }

    private static Executor sharedExecutor() {
        AtomicInteger count = new AtomicInteger();
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "fastcgi-file-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
