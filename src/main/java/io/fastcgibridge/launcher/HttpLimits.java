package io.fastcgibridge.launcher;

import io.fastcgibridge.servlet.BridgeConfig;
import java.time.Duration;

/**
 * The launcher's HTTP limits beyond the bridge's options (the head size is {@code --max-headers}):
 * flags of {@code serve} only, as a container of one's own sets them in a WAR's case.
 *
 * @param maxHeaderCount request headers Tomcat takes (then 400)
 * @param headerTimeout the longest a request head may take to arrive whole (then 408)
 */
public record HttpLimits(int maxHeaderCount, Duration headerTimeout) {

    /**
     * nginx counts no headers, it only bounds their size; Tomcat's 100 is below what a request
     * through a CDN and a few proxies can carry. 1,000 is ten times that and still bounds the work
     * a request can make.
     */
    public static final int DEFAULT_MAX_HEADER_COUNT = 1000;
    /** nginx's {@code client_header_timeout}. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(60);

    public HttpLimits {
        if (maxHeaderCount < 1) {
            throw new IllegalArgumentException("max-header-count: must be a positive number, was " + maxHeaderCount);
        }
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("header-timeout: must be positive, was " + headerTimeout);
        }
    }

    public static HttpLimits defaults() {
        return new HttpLimits(DEFAULT_MAX_HEADER_COUNT, DEFAULT_HEADER_TIMEOUT);
    }

    /**
     * From the flags' texts, empty for the default.
     *
     * @throws IllegalArgumentException naming the flag, for a value that is not a count or a duration
     */
    static HttpLimits parse(String maxHeaderCount, String headerTimeout) {
        int count = DEFAULT_MAX_HEADER_COUNT;
        if (!maxHeaderCount.isEmpty()) {
            try {
                count = Integer.parseInt(maxHeaderCount.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("max-header-count: not a number: " + maxHeaderCount);
            }
        }
        Duration timeout = DEFAULT_HEADER_TIMEOUT;
        if (!headerTimeout.isEmpty()) {
            try {
                timeout = BridgeConfig.parseDuration(headerTimeout);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("header-timeout: " + e.getMessage(), e);
            }
        }
        return new HttpLimits(count, timeout);
    }
}
