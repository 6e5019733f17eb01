package io.fastcgibridge.launcher;

import java.time.Duration;

/** Parses the durations of command-line flags: {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
final class Durations {

    private Durations() {
    }

    static Duration parse(String text) {
        String value = text.trim();
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("bad duration '" + text + "' (use 250ms, 5s, 2m or 1h)");
        }
    }
}
