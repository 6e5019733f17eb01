package io.fastcgibridge.servlet;

import io.fastcgibridge.client.BodyReader;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads a request body with a known length from a servlet input stream in non-blocking mode: the
 * FastCGI client pulls from it as the PHP-FPM socket takes data, and is signalled when the HTTP
 * client has sent more. No thread ever waits for the HTTP client.
 *
 * <p>Threading: the client's I/O thread reads; the container calls the listener methods. One lock
 * guards the hand-over so that a signal is never lost between "nothing yet" and "data arrived".
 */
final class ServletBodyReader implements BodyReader, ReadListener {

    private final ServletInputStream in;
    private Runnable signal;
    private boolean readable;
    private boolean allRead;
    private Throwable failure;

    /** Installs itself as the stream's read listener; call on a container thread after startAsync. */
    ServletBodyReader(ServletInputStream in) {
        this.in = in;
        in.setReadListener(this);
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
        synchronized (this) {
            if (failure != null) {
                throw new IOException("the HTTP client's request body broke off: " + failure.getMessage(), failure);
            }
            if (in.isFinished()) {
                return -1;
            }
            if (!in.isReady()) {
                readable = false;
                return 0;
            }
        }
        int n = in.read(target.array(), target.arrayOffset() + target.position(), target.remaining());
        if (n > 0) {
            target.position(target.position() + n);
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
