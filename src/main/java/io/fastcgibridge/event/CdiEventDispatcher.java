package io.fastcgibridge.event;

import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.ObserverMethod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Dispatch through a CDI container. A stoppable event is a loop over the resolved observer
 * methods, sorted by priority and notified one by one, that ends once propagation stops: CDI's own
 * {@code fire} cannot stop, and an exception to stop it would abort with an error.
 */
final class CdiEventDispatcher implements EventDispatcher {

    private final BeanManager beans;

    CdiEventDispatcher(BeanManager beans) {
        this.beans = beans;
    }

    @Override
    public void fire(Object event) {
        beans.getEvent().fire(event);
    }

    @Override
    public void fireStoppable(StoppableEvent event) {
        List<ObserverMethod<? super StoppableEvent>> observers = new ArrayList<>(beans.resolveObserverMethods(event));
        observers.sort(Comparator.comparingInt(ObserverMethod::getPriority));
        for (ObserverMethod<? super StoppableEvent> observer : observers) {
            if (event.isPropagationStopped()) {
                return;
            }
            if (!observer.isAsync()) {
                observer.notify(event);
            }
        }
    }

    /** Whether some observer of {@code type} is declared by a class of that name. */
    boolean hasObserver(Object probe, Class<?> declaringClass) {
        return beans.resolveObserverMethods(probe).stream()
                .anyMatch(observer -> observer.getBeanClass().equals(declaringClass));
    }
}
