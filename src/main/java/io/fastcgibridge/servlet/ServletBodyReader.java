package io.fastcgibridge.servlet;

import io.fastcgibridge.client.BodyReader;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Reads a request body with a known length from a servlet input stream in non-blocking mode
 * ({@code request-buffering off}): the FastCGI client pulls from it as the PHP-FPM socket takes
 * data, and is signalled when the HTTP client has sent more. No thread ever waits for the HTTP
 * client. A body that breaks off fails the read with {@link BrokenBody}, so the request to PHP-FPM
 * is abandoned without the empty STDIN record, and {@code onBroken} hears of it on the
 * container's thread, where an answer can still be sent.
 *
 * <p>Threading: the client's I/O thread reads; the container calls the listener methods. One lock
 * guards the hand-over so that a signal is never lost between "nothing yet" and "data arrived".
 */
final class ServletBodyReader implements BodyReader, ReadListener {

    /** The HTTP client's body broke off; the cause is the container's exception. */
    static final class BrokenBody extends IOException {
        BrokenBody(Throwable cause) {
            super("the HTTP client's request body broke off: " + cause.getMessage(), cause);
        }
    }

    private final ServletInputStream in;
    private final long length;
    private final Consumer<Throwable> onBroken;
    private long received;
    private Runnable signal;
    private boolean readable;
    private boolean allRead;
    private Throwable failure;

    /** Installs itself as the stream's read listener; call on a container thread after startAsync. */
    ServletBodyReader(ServletInputStream in, long length, Consumer<Throwable> onBroken) {
        this.in = in;
        this.length = length;
        this.onBroken = onBroken;
        in.setReadListener(this);
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
        synchronized (this) {
            if (failure != null) {
                throw new BrokenBody(failure);
            }
            if (in.isFinished()) {
                if (received < length) {
                    throw new BrokenBody(new EOFException("the body ended after " + received + " of " + length
                            + " bytes"));
                }
                return -1;
            }
            if (!in.isReady()) {
                readable = false;
                return 0;
            }
        }
        int n;
        try {
            n = in.read(target.array(), target.arrayOffset() + target.position(), target.remaining());
        } catch (IOException e) {
            throw new BrokenBody(e);
        }
        if (n > 0) {
            target.position(target.position() + n);
            received += n;
        }
        return n;
    }

    @Override
    public void onReadable(Runnable whenReadable) {
        synchronized (this) {
            if (!readable && !allRead && failure == null) {
                signal = whenReadable;
                return;
            }
        }
        whenReadable.run();
    }

    @Override
    public void onDataAvailable() {
        wake(() -> readable = true);
    }

    @Override
    public void onAllDataRead() {
        wake(() -> allRead = true);
    }

    @Override
    public void onError(Throwable t) {
        // The answer first, while the container still lets it out (it closes the connection after onError).
        onBroken.accept(t);
        wake(() -> failure = t);
    }

    private void wake(Runnable change) {
        Runnable waiting;
        synchronized (this) {
            change.run();
            waiting = signal;
            signal = null;
        }
        if (waiting != null) {
            waiting.run();
        }
    }
}
