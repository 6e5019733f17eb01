package io.fastcgibridge.event;

/**
 * An event whose observers run one at a time in priority order until one stops propagation; later
 * observers are then not called at all. Stopping is a flag, never an exception.
 */
public interface StoppableEvent {

    /** Whether an observer has stopped propagation. */
    boolean isPropagationStopped();
}
