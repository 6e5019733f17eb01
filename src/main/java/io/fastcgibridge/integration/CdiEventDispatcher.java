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
 * {@code fire} cannot stop, and an exception to stop it would abort with an error.
 *
 * <p>The observers of a type are resolved once: a CDI container's observer methods are fixed once
 * it has started, and the events are final classes fired without qualifiers.
 */
final class CdiEventDispatcher implements EventDispatcher {

    private final BeanManager beans;
    private final Map<Class<?>, List<ObserverMethod<? super StoppableEvent>>> stoppableObservers =
            new ConcurrentHashMap<>();
    /** Kept, since the container caches observer resolution per {@code Event} instance. */
    private volatile Event<Object> events;

    CdiEventDispatcher(BeanManager beans) {
        this.beans = beans;
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
        for (ObserverMethod<? super StoppableEvent> observer : stoppableObservers.computeIfAbsent(event.getClass(),
                type -> inPriorityOrder(event))) {
            if (event.isPropagationStopped()) {
                return;
            }
            observer.notify(event);
        }
    }

    /** The synchronous observers of {@code event}, lowest priority first. */
    private List<ObserverMethod<? super StoppableEvent>> inPriorityOrder(StoppableEvent event) {
        List<ObserverMethod<? super StoppableEvent>> observers = new ArrayList<>(beans.resolveObserverMethods(event));
        observers.removeIf(ObserverMethod::isAsync);
        observers.sort(Comparator.comparingInt(ObserverMethod::getPriority));
        return List.copyOf(observers);
    }

    /** Whether some observer of {@code type} is declared by a class of that name. */
    boolean hasObserver(Object probe, Class<?> declaringClass) {
        return beans.resolveObserverMethods(probe).stream()
                .anyMatch(observer -> observer.getBeanClass().equals(declaringClass));
    }
}
