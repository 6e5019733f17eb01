package io.fastcgibridge.event;

/**
 * The launcher's managed PHP-FPM master process stopped.
 *
 * @param pid the PHP-FPM master's process id
 * @param exitCode its exit status; 128 + n when a signal n ended it
 */
public record ManagerStopEvent(long pid, int exitCode) {
}
