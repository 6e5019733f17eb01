package io.fastcgibridge.event;

/** The launcher's managed PHP-FPM master process started and accepts connections. */
public final class ManagerStartEvent {

    private final long pid;
    private final String address;

    public ManagerStartEvent(long pid, String address) {
        this.pid = pid;
        this.address = address;
    }

    /** The PHP-FPM master's process id. */
    public long pid() {
        return pid;
    }

    /** Where its pool listens. */
    public String address() {
        return address;
    }
}
