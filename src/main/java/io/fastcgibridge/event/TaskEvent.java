package io.fastcgibridge.event;

/**
 * A task given to {@code TaskDispatcher.dispatch(data)}, delivered to observers on the task
 * executor. An observer sets the {@link #setReturnValue return value}; {@link #taskProcessingComplete()}
 * stops propagation.
 */
public final class TaskEvent implements StoppableEvent {

    private final long taskId;
    private final Object data;
    private volatile Object returnValue;
    private volatile boolean complete;

    public TaskEvent(long taskId, Object data) {
        this.taskId = taskId;
        this.data = data;
    }

    public long taskId() {
        return taskId;
    }

    public Object data() {
        return data;
    }

    /** The data as a type, or {@code null} when it is not one. */
    public <T> T data(Class<T> type) {
        return type.isInstance(data) ? type.cast(data) : null;
    }

    public void setReturnValue(Object value) {
        returnValue = value;
    }

    public Object returnValue() {
        return returnValue;
    }

    /** The task is done: no later observer sees it. */
    public void taskProcessingComplete() {
        complete = true;
    }

    @Override
    public boolean isPropagationStopped() {
        return complete;
    }
}
