package io.fastcgibridge.integration;

import io.fastcgibridge.event.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Dispatch without CDI, as in a plain Tomcat: listeners registered here by type and priority. The
 * built-in listeners are registered this way when no CDI container is there.
 */
public final class FallbackEventDispatcher implements EventDispatcher, EventListeners {

    private record Registration<E>(Class<E> type, int priority, Consumer<? super E> listener) {
        void deliver(Object event) {
            listener.accept(type.cast(event));
        }
    }

    private final List<Registration<?>> registrations = new ArrayList<>();

    @Override
    public synchronized <E> FallbackEventDispatcher register(Class<E> type, int priority, Consumer<? super E> listener) {
        registrations.add(new Registration<>(type, priority, listener));
        registrations.sort(Comparator.comparingInt(Registration::priority));
        return this;
    }

    @Override
    public void fire(Object event) {
        for (Registration<?> registration : snapshot()) {
            if (registration.type().isInstance(event)) {
                registration.deliver(event);
            }
        }
    }

    @Override
    public void fireStoppable(StoppableEvent event) {
        for (Registration<?> registration : snapshot()) {
            if (event.isPropagationStopped()) {
                return;
            }
            if (registration.type().isInstance(event)) {
                registration.deliver(event);
            }
        }
    }

    /** Every listener of the event, each on its own: one that throws is reported, and the next still runs. */
    void fireEach(Object event, CompletionDelivery.Failure failed) {
        for (Registration<?> registration : snapshot()) {
            if (registration.type().isInstance(event)) {
                try {
                    registration.deliver(event);
                } catch (RuntimeException e) {
                    failed.observerFailed("a listener of " + registration.type().getSimpleName() + " at priority "
                            + registration.priority() + " (" + registration.listener().getClass().getName() + ")", e);
                }
            }
        }
    }

    private synchronized List<Registration<?>> snapshot() {
        return List.copyOf(registrations);
    }
}
