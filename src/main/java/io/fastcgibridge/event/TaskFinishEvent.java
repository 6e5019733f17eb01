package io.fastcgibridge.event;

import java.util.Optional;

/** A task finished: its id, the thread that ran it, and its return value or failure. */
public final class TaskFinishEvent {

    private final long taskId;
    private final String worker;
    private final Object returnValue;
    private final Throwable failure;

    public TaskFinishEvent(long taskId, String worker, Object returnValue, Throwable failure) {
        this.taskId = taskId;
        this.worker = worker;
        this.returnValue = returnValue;
        this.failure = failure;
    }

    public long taskId() {
        return taskId;
    }

    /** The name of the executor thread that ran it. */
    public String worker() {
        return worker;
    }

    public Object returnValue() {
        return returnValue;
    }

    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }
}
