package io.fastcgibridge.event;

/**
 * A reload is about to happen: the launcher's (PHP-FPM reloaded gracefully) or a WAR's context reload.
 *
 * @param reason what asked for it: {@code SIGHUP}, or {@code reload} (the command, through the control socket)
 */
public record BeforeReloadEvent(String reason) {
}
