package io.fastcgibridge.event;

/** The launcher's managed PHP-FPM master process stopped. */
public final class ManagerStopEvent {

    private final long pid;
    private final int exitCode;

    public ManagerStopEvent(long pid, int exitCode) {
        this.pid = pid;
        this.exitCode = exitCode;
    }

    public long pid() {
        return pid;
    }

    /** Its exit status; 128 + n when a signal n ended it. */
    public int exitCode() {
        return exitCode;
    }
}
