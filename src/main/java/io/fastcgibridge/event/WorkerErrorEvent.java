package io.fastcgibridge.event;

import io.fastcgibridge.client.FastCgiAddress;
import io.fastcgibridge.client.FastCgiException;

/**
 * A backend failed: a request to it failed (refused, timed out, broke the protocol...), or the
 * launcher's managed PHP-FPM died.
 *
 * @param backend the backend's address
 * @param failure what failed
 * @param message what happened, naming the backend
 */
public record WorkerErrorEvent(FastCgiAddress backend, Failure failure, String message) {

    /** What failed: a request, or the PHP-FPM process itself. */
    public sealed interface Failure {
    }

    /** A request failed with this code. */
    public record RequestFailed(FastCgiException.Code code) implements Failure {
    }

    /**
     * The managed PHP-FPM master exited.
     *
     * @param exitCode its exit status
     * @param signal the signal that ended it, or {@code null}
     */
    public record ProcessExited(int exitCode, Integer signal) implements Failure {
    }
}
