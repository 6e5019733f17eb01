package io.fastcgibridge.event;

/**
 * A task dispatched with {@code TaskDispatcher.dispatch(data)} finished.
 *
 * @param taskId the id the dispatcher gave it
 * @param worker the name of the executor thread that ran it
 * @param returnValue the value an observer set, or {@code null}
 * @param failure what an observer threw, or {@code null} when it succeeded
 */
public record TaskFinishEvent(long taskId, String worker, Object returnValue, Throwable failure) {

    /** Whether no observer threw. */
    public boolean succeeded() {
        return failure == null;
    }
}
