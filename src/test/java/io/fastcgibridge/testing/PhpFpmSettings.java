package io.fastcgibridge.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pool settings for a test PHP-FPM: worker count, recycling, timeout and any extra pool directives.
 */
public record PhpFpmSettings(
        int maxChildren,
        int maxRequests,
        int requestTerminateTimeoutSeconds,
        Map<String, String> extraPoolSettings) {

    public PhpFpmSettings {
        if (maxChildren < 1) {
            throw new IllegalArgumentException("maxChildren must be at least 1: " + maxChildren);
        }
        extraPoolSettings = Map.copyOf(extraPoolSettings);
    }

    /** Four static workers, no recycling, no request timeout, no extra directives. */
    public static PhpFpmSettings defaults() {
        return new PhpFpmSettings(4, 0, 0, Map.of());
    }

    public PhpFpmSettings withMaxChildren(int value) {
        return new PhpFpmSettings(value, maxRequests, requestTerminateTimeoutSeconds, extraPoolSettings);
    }

    public PhpFpmSettings withMaxRequests(int value) {
        return new PhpFpmSettings(maxChildren, value, requestTerminateTimeoutSeconds, extraPoolSettings);
    }

    public PhpFpmSettings withRequestTerminateTimeoutSeconds(int value) {
        return new PhpFpmSettings(maxChildren, maxRequests, value, extraPoolSettings);
    }

    public PhpFpmSettings withExtraPoolSettings(Map<String, String> value) {
        return new PhpFpmSettings(maxChildren, maxRequests, requestTerminateTimeoutSeconds, value);
    }

    /** Adds (or replaces) one pool directive, e.g. {@code withExtraPoolSetting("php_value[max_input_vars]", "5")}. */
    public PhpFpmSettings withExtraPoolSetting(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(extraPoolSettings);
        copy.put(key, value);
        return withExtraPoolSettings(copy);
    }
}
