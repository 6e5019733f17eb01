package io.fastcgibridge.client;

/**
 * The connections to one backend at one moment, for gauges and JMX.
 *
 * @param backend the backend
 * @param active connections serving a request, or held while their PHP-FPM worker finishes one
 * @param idle kept connections waiting for the next request (each pins a PHP-FPM worker)
 * @param waiting requests waiting for a connection
 * @param down whether the backend is skipped after refused connections
 */
public record PoolState(FastCgiAddress backend, int active, int idle, int waiting, boolean down) {
}
