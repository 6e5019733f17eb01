package io.fastcgibridge.event;

/**
 * A reload finished.
 *
 * @param reason what asked for it, as in {@link BeforeReloadEvent}
 * @param succeeded whether PHP-FPM came back with its configuration re-read
 */
public record AfterReloadEvent(String reason, boolean succeeded) {
}
