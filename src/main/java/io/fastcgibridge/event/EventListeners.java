package io.fastcgibridge.event;

import java.util.function.Consumer;

/**
 * Listeners of the bridge's events in a container without CDI (a plain Tomcat): the servlet context
 * attribute {@link EventDispatcher#ATTRIBUTE} holds one, on which application code registers its own
 * beside the built-in ones. With CDI, observer methods do the same.
 */
public interface EventListeners {

    /** Adds a listener for events of {@code type}; lower priorities run first, equal ones in registration order. */
    <E> EventListeners register(Class<E> type, int priority, Consumer<? super E> listener);
}
