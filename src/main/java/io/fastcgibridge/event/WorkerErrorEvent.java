package io.fastcgibridge.event;

import java.util.OptionalInt;

/**
 * A backend failed: refused a connection, timed out, broke the protocol, or (the launcher's managed
 * PHP-FPM) died. Carries the address, the error code and, for a process, its exit code or signal.
 */
public final class WorkerErrorEvent {

    private final String address;
    private final String code;
    private final String message;
    private final Integer exitCode;
    private final Integer signal;

    public WorkerErrorEvent(String address, String code, String message, Integer exitCode, Integer signal) {
        this.address = address;
        this.code = code;
        this.message = message;
        this.exitCode = exitCode;
        this.signal = signal;
    }

    /** The backend's address. */
    public String address() {
        return address;
    }

    /** A stable code: a {@code FastCgiException.Code} name, or {@code PROCESS_EXITED}. */
    public String code() {
        return code;
    }

    public String message() {
        return message;
    }

    /** The managed process's exit code, when it exited. */
    public OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /** The signal that killed the managed process, when one did. */
    public OptionalInt signal() {
        return signal == null ? OptionalInt.empty() : OptionalInt.of(signal);
    }
}
