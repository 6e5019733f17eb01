package io.fastcgibridge.launcher.admin;

import io.fastcgibridge.client.FastCgiAddress;
import java.nio.file.Path;

/**
 * How to ask one backend whether it serves, and what it is doing.
 *
 * @param backend the PHP-FPM address
 * @param pingPath PHP-FPM's {@code ping.path}, or {@code null} to run {@code pingScript} instead
 * @param pingScript the launcher's own tiny script, used when there is no ping path
 * @param statusPath PHP-FPM's {@code pm.status_path}, or {@code null} when not configured
 */
public record ProbeTarget(FastCgiAddress backend, String pingPath, Path pingScript, String statusPath) {
}
