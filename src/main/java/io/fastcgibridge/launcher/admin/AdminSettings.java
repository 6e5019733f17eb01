package io.fastcgibridge.launcher.admin;

import java.time.Duration;

/**
 * Where the admin endpoint listens and how long a probe of PHP-FPM may take.
 *
 * @param host the address to bind: loopback unless the operator says otherwise
 * @param port the port; 0 picks a free one
 * @param probeTimeout the longest a ping or a status request to PHP-FPM may take
 */
public record AdminSettings(String host, int port, Duration probeTimeout) {

    /** The default bind address: only this machine reaches the metrics and health answers. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Below Kubernetes' default probe timeout of one second. */
    public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofMillis(800);
}
