package io.fastcgibridge.event;

/** A reload is about to happen: the launcher's (PHP-FPM reloaded gracefully) or a WAR's context reload. */
public final class BeforeReloadEvent {

    private final String reason;

    public BeforeReloadEvent(String reason) {
        this.reason = reason;
    }

    /** What asked for it: {@code SIGHUP} (which the {@code reload} command sends too). */
    public String reason() {
        return reason;
    }
}
