package io.fastcgibridge.launcher.gate;

import java.time.Duration;

/**
 * How much the request-head gate holds, and for how long.
 *
 * @param maxHeadBytes the largest request head: request line, headers and the empty line (then 414 or 431)
 * @param headerTimeout the longest a whole head may take to arrive, from the accept on (then 408)
 * @param maxWaiting connections held at once, waiting for their head or for a place in Tomcat;
 *        past it the oldest one still sending its head is closed
 * @param maxBufferedBytes heap for the heads held at once; past it, too, the oldest is closed
 */
public record GateLimits(int maxHeadBytes, Duration headerTimeout, int maxWaiting, long maxBufferedBytes) {

    public GateLimits {
        if (maxHeadBytes < 256) {
            throw new IllegalArgumentException("a request head limit under 256 bytes leaves no room for a request: "
                    + maxHeadBytes);
        }
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("the header timeout must be positive: " + headerTimeout);
        }
        if (maxWaiting < 1) {
            throw new IllegalArgumentException("the gate must hold at least one connection: " + maxWaiting);
        }
        if (maxBufferedBytes < 2L * maxHeadBytes) {
            throw new IllegalArgumentException("the gate's buffer (" + maxBufferedBytes
                    + " bytes) must hold two heads of " + maxHeadBytes + " bytes");
        }
    }
}
