package io.fastcgibridge.event;

/**
 * A task given to {@code TaskDispatcher.dispatch(data)}, delivered to observers on the task
 * executor. An observer sets the {@link #returnValue(Object) return value}; {@link #taskProcessingComplete()}
 * stops propagation.
 */
public final class TaskEvent implements StoppableEvent {

    private final long taskId;
    private final Object data;
    private volatile Object returnValue;
    private volatile boolean complete;

    /** For the dispatcher, and for tests of task observers. */
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

    /** Sets the value the dispatcher's future completes with. */
    public void returnValue(Object value) {
        returnValue = value;
    }

    /** The value set so far, or {@code null}. */
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

    @Override
    public String toString() {
        return "TaskEvent[taskId=" + taskId + ", data=" + data + ", returnValue=" + returnValue + ", complete="
                + complete + "]";
    }
}
