package io.fastcgibridge.event;

/** A reload finished. */
public final class AfterReloadEvent {

    private final String reason;
    private final boolean succeeded;

    public AfterReloadEvent(String reason, boolean succeeded) {
        this.reason = reason;
        this.succeeded = succeeded;
    }

    public String reason() {
        return reason;
    }

    public boolean succeeded() {
        return succeeded;
    }
}
