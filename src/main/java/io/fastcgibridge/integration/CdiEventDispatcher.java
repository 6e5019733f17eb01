package io.fastcgibridge.integration;

import io.fastcgibridge.event.*;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.ObserverMethod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dispatch through a CDI container. A stoppable event is a loop over the resolved observer
 * methods, sorted by priority and notified one by one, that ends once propagation stops: CDI's own
 * {@code fire} cannot stop, and an exception to stop it would abort with an error. The events that
 * close a request are delivered by the same loop, each observer on its own. Both run with a request
 * context active, the container's own where it has one.
 *
 * <p>The observers of a type are resolved once: a CDI container's observer methods are fixed once
 * it has started, and the events are final classes fired without qualifiers.
 */
final class CdiEventDispatcher implements EventDispatcher, CompletionDelivery {

    private final BeanManager beans;
    private final CdiRequestContext requestContext;
    private final Map<Class<?>, List<ObserverMethod<Object>>> observers = new ConcurrentHashMap<>();
    /** Kept, since the container caches observer resolution per {@code Event} instance. */
    private volatile Event<Object> events;

    CdiEventDispatcher(BeanManager beans) {
        this.beans = beans;
        this.requestContext = new CdiRequestContext(beans);
    }

    @Override
    public void fire(Object event) {
        Event<Object> current = events;
        if (current == null) {
            current = beans.getEvent();
            events = current;
        }
        current.fire(event);
    }

    @Override
    public void fireStoppable(StoppableEvent event) {
        requestContext.run(() -> {
            for (ObserverMethod<Object> observer : observers(event)) {
                if (event.isPropagationStopped()) {
                    return;
                }
                observer.notify(event);
            }
        });
    }

    @Override
    public void deliver(List<?> events, Failure failed) {
        requestContext.run(() -> {
            for (Object event : events) {
                for (ObserverMethod<Object> observer : observers(event)) {
                    try {
                        observer.notify(event);
                    } catch (RuntimeException e) {
                        failed.observerFailed(observer.getBeanClass().getName(), e);
                    }
                }
            }
        });
    }

    private List<ObserverMethod<Object>> observers(Object event) {
        return observers.computeIfAbsent(event.getClass(), type -> inPriorityOrder(event));
    }

    /** The synchronous observers of {@code event}, lowest priority first. */
    @SuppressWarnings("unchecked")
    private List<ObserverMethod<Object>> inPriorityOrder(Object event) {
        List<ObserverMethod<Object>> found = new ArrayList<>();
        for (ObserverMethod<? super Object> observer : beans.resolveObserverMethods(event)) {
            if (!observer.isAsync()) {
                found.add((ObserverMethod<Object>) observer);
            }
        }
        found.sort(Comparator.comparingInt(ObserverMethod::getPriority));
        return List.copyOf(found);
    }

    /** Whether some observer of {@code type} is declared by a class of that name. */
    boolean hasObserver(Object probe, Class<?> declaringClass) {
        return beans.resolveObserverMethods(probe).stream()
                .anyMatch(observer -> observer.getBeanClass().equals(declaringClass));
    }
}
