package io.fastcgibridge.servlet;

import io.fastcgibridge.client.RequestBody;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Collects a request body that came without a Content-Length (chunked), because PHP-FPM reads
 * exactly CONTENT_LENGTH bytes: in memory up to a threshold, then in a temporary file, refusing
 * past the maximum. Reads only when the container says data is there.
 */
final class BodySpool implements ReadListener {

    /** How spooling ended. */
    sealed interface Outcome {
        /** The whole body; {@link #release()} deletes any temporary file. */
        record Complete(RequestBody body, Path file) implements Outcome {
            void release() {
                deleteQuietly(file);
            }
        }

        /** The body went past the maximum. */
        record TooLarge() implements Outcome {
        }

        /** The HTTP client broke off or the spool file could not be written. */
        record Failed(Throwable cause) implements Outcome {
        }
    }

    private final ServletInputStream in;
    private final long memoryLimit;
    private final long maxBody;
    private final Consumer<Outcome> done;
    private final byte[] buffer = new byte[16 * 1024];
    private final ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private Path file;
    private OutputStream fileOut;
    private long size;
    private boolean finished;

    BodySpool(ServletInputStream in, long memoryLimit, long maxBody, Consumer<Outcome> done) {
        this.in = in;
        this.memoryLimit = memoryLimit;
        this.maxBody = maxBody;
        this.done = done;
        in.setReadListener(this);
    }

    @Override
    public void onDataAvailable() throws IOException {
        int n;
        while (!finished && in.isReady() && (n = in.read(buffer)) != -1) {
            size += n;
            if (size > maxBody) {
                finish(new Outcome.TooLarge());
                return;
            }
            if (fileOut == null && size > memoryLimit) {
                file = Files.createTempFile("fastcgi-body", ".spool");
                fileOut = Files.newOutputStream(file);
                memory.writeTo(fileOut);
                memory.reset();
            }
            (fileOut != null ? fileOut : memory).write(buffer, 0, n);
        }
    }

    @Override
    public void onAllDataRead() throws IOException {
        if (finished) {
            return;
        }
        if (fileOut != null) {
            fileOut.close();
            finish(new Outcome.Complete(RequestBody.of(file), file));
        } else {
            finish(new Outcome.Complete(RequestBody.of(memory.toByteArray()), null));
        }
    }

    @Override
    public void onError(Throwable t) {
        finish(new Outcome.Failed(t));
    }

    private void finish(Outcome outcome) {
        if (finished) {
            return;
        }
        finished = true;
        if (!(outcome instanceof Outcome.Complete)) {
            closeQuietly();
            deleteQuietly(file);
        }
        done.accept(outcome);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the temporary folder's owner cleans up eventually
            }
        }
    }

    private void closeQuietly() {
        if (fileOut != null) {
            try {
                fileOut.close();
            } catch (IOException ignored) {
                // being discarded
            }
        }
    }
}
