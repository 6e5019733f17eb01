package io.fastcgibridge.event;

/** Delivers the bridge's events to their observers in {@code @Priority} order, lower first. */
public interface EventDispatcher {

    /**
     * The servlet context attribute holding a web application's dispatcher: the CDI container's, or,
     * without CDI, one that is also {@link EventListeners}.
     */
    String ATTRIBUTE = EventDispatcher.class.getName();

    /** Every observer sees the event. */
    void fire(Object event);

    /** Observers see the event one at a time until one stops propagation; the rest are not called. */
    void fireStoppable(StoppableEvent event);
}
