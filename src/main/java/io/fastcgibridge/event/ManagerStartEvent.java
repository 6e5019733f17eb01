package io.fastcgibridge.event;

import io.fastcgibridge.client.FastCgiAddress;

/**
 * The launcher's managed PHP-FPM master process started and accepts connections.
 *
 * @param pid the PHP-FPM master's process id
 * @param address where its pool listens
 */
public record ManagerStartEvent(long pid, FastCgiAddress address) {
}
