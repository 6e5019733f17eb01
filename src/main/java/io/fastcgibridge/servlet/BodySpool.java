package io.fastcgibridge.servlet;

import io.fastcgibridge.client.RequestBody;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Receives a whole request body before PHP-FPM is contacted, as nginx does by default
 * ({@code fastcgi_request_buffering on}): in memory up to a threshold, then in a temporary file,
 * refusing past the maximum. A slow client then never holds a PHP-FPM worker, a body that breaks
 * off never reaches PHP, and a chunked body gets its exact CONTENT_LENGTH.
 *
 * <p>Reads only when the container says data is there, on the container's threads, which may
 * write to disk. Memory grows with the bytes that actually arrived, not with what was announced,
 * and past the threshold an upload holds no heap between two reads.
 */
final class BodySpool implements ReadListener {

    /** How receiving ended. */
    sealed interface Outcome {
        /** The whole body; its temporary file, if it has one, is freed with {@link SpoolFiles#release}. */
        record Complete(RequestBody body, FileChannel file) implements Outcome {
        }

        /**
         * No body for PHP: 413 past the maximum, 500 when it could not be stored, or the answer to a
         * body that did not arrive whole ({@link ErrorPages#forBrokenBody}).
         */
        record Refused(int status, Throwable cause) implements Outcome {
        }
    }

    private static final int FIRST_MEMORY = 8 * 1024;
    /** The most a body gathers for one write to its file, within one read call of the container. */
    private static final int GATHERED = 64 * 1024;

    private final ServletInputStream in;
    private final long declaredLength;
    private final int memoryLimit;
    private final long maxBody;
    private final SpoolFiles files;
    private final Consumer<Outcome> done;
    private byte[] memory = new byte[0];
    private FileChannel file;
    /** In file mode, during one read call, the bytes gathered for the next write. */
    private ByteBuffer gathered;
    private long size;
    private boolean finished;

    /**
     * Installs itself as the stream's read listener; call on a container thread after startAsync.
     * {@code declaredLength} is the Content-Length, or -1 for a chunked body.
     */
    BodySpool(ServletInputStream in, long declaredLength, long memoryLimit, long maxBody, SpoolFiles files,
            Consumer<Outcome> done) {
        this.in = in;
        this.declaredLength = declaredLength;
        this.memoryLimit = (int) Math.min(memoryLimit, Integer.MAX_VALUE - 8);
        this.maxBody = maxBody;
        this.files = files;
        this.done = done;
        in.setReadListener(this);
    }

    @Override
    public void onDataAvailable() throws IOException {
        try {
            readWhileReady();
            if (!finished && file != null) {
                // Nothing is held between reads: a client that stops half way costs no heap.
                writeGathered();
                gathered = null;
            }
        } catch (SpoolFailure e) {
            finish(new Outcome.Refused(500, e.getCause()));
        }
    }

    private void readWhileReady() throws IOException {
        while (!finished && in.isReady()) {
            boolean inMemory = file == null && (size < memoryLimit || size == declaredLength);
            int n = inMemory ? readIntoMemory() : readIntoFile();
            if (n < 0) {
                return;
            }
            size += n;
            if (size > maxBody) {
                finish(new Outcome.Refused(413, null));
                return;
            }
        }
    }

    private int readIntoMemory() throws IOException {
        int length = (int) size;
        if (length == memory.length) {
            long cap = declaredLength >= 0 ? Math.min(declaredLength, memoryLimit) : memoryLimit;
            long grown = Math.min(Math.max(2L * length, FIRST_MEMORY), cap);
            // One byte more than announced only to read the end of the stream.
            memory = Arrays.copyOf(memory, (int) Math.max(grown, length + 1L));
        }
        return in.read(memory, length, memory.length - length);
    }

    /**
     * Past the memory threshold: what memory held goes to a new temporary file, and from then on
     * pieces are gathered into a buffer that lives for one {@link #onDataAvailable} call, so the
     * disk gets large writes however small the container's reads are.
     */
    private int readIntoFile() throws IOException {
        if (file == null) {
            try {
                file = files.create("body-");
            } catch (IOException e) {
                throw new SpoolFailure(e);
            }
            gathered = ByteBuffer.wrap(memory).position((int) size);
            memory = null;
            writeGathered();
            gathered = null;
        }
        if (gathered == null) {
            gathered = ByteBuffer.allocate(GATHERED);
        } else if (!gathered.hasRemaining()) {
            writeGathered();
        }
        int n = in.read(gathered.array(), gathered.position(), gathered.remaining());
        if (n > 0) {
            gathered.position(gathered.position() + n);
        }
        return n;
    }

    /** Writes what the buffer gathered and empties it. */
    private void writeGathered() throws SpoolFailure {
        if (gathered == null) {
            return;
        }
        gathered.flip();
        try {
            while (gathered.hasRemaining()) {
                file.write(gathered);
            }
        } catch (IOException e) {
            throw new SpoolFailure(e);
        }
        gathered.clear();
    }

    /** Our own disk failed, not the client: told apart from the stream's exceptions. */
    private static final class SpoolFailure extends IOException {
        SpoolFailure(IOException cause) {
            super(cause);
        }
    }

    @Override
    public void onAllDataRead() {
        if (finished) {
            return;
        }
        if (declaredLength >= 0 && size != declaredLength) {
            finish(new Outcome.Refused(400, new IOException("the body ended after " + size + " of " + declaredLength
                    + " bytes")));
        } else if (file != null) {
            try {
                writeGathered();
            } catch (SpoolFailure e) {
                finish(new Outcome.Refused(500, e.getCause()));
                return;
            }
            finish(new Outcome.Complete(RequestBody.of(file, size, files.io()), file));
        } else {
            byte[] bytes = memory.length == size ? memory : Arrays.copyOf(memory, (int) size);
            finish(new Outcome.Complete(RequestBody.of(bytes), null));
        }
    }

    @Override
    public void onError(Throwable t) {
        finish(new Outcome.Refused(ErrorPages.forBrokenBody(t), t));
    }

    private void finish(Outcome outcome) {
        if (finished) {
            return;
        }
        finished = true;
        gathered = null;
        if (!(outcome instanceof Outcome.Complete)) {
            memory = null;
            files.release(file);
        }
        done.accept(outcome);
    }
}
