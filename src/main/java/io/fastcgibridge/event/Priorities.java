package io.fastcgibridge.event;

/**
 * The {@code @Priority} values of the built-in listeners. Lower runs first; CDI's default for an
 * observer without one is {@link #DEFAULT}.
 */
public final class Priorities {

    /** Static files are served before anything but the earliest observers (maintenance modes). */
    public static final int STATIC_RESOURCES = 100;

    /** {@code Interceptor.Priority.APPLICATION + 500}: observers without {@code @Priority}. */
    public static final int DEFAULT = 2500;

    /** Forwarding to PHP-FPM comes after every application observer, and always stops propagation. */
    public static final int FORWARDING = 1_000_000;

    private Priorities() {
    }
}
