package io.fastcgibridge.integration;

import io.fastcgibridge.event.EventDispatcher;
import java.util.List;

/**
 * How the completion threads hand the events that close a request to their observers: observer by
 * observer, so that one that throws neither keeps the next from running (the access log) nor
 * reaches the thread; with CDI, inside a request context of their own.
 */
interface CompletionDelivery {

    /** Told of each observer that threw. */
    interface Failure {
        void observerFailed(String observer, RuntimeException failure);
    }

    /** Delivers {@code events} in order, each to every observer in priority order. */
    void deliver(List<?> events, Failure failed);

    /**
     * Whether the bridge's access log is all that observes {@code events}, so that where no access
     * log is configured there is nothing to deliver; {@code false} when that cannot be known.
     */
    default boolean onlyAccessLogObserves(List<?> events) {
        return false;
    }

    /** The delivery for a web application's dispatcher. */
    static CompletionDelivery of(EventDispatcher events) {
        if (events instanceof CompletionDelivery own) {
            return own;
        }
        if (events instanceof FallbackEventDispatcher fallback) {
            return (list, failed) -> list.forEach(event -> fallback.fireEach(event, failed));
        }
        // A dispatcher of the application's own: as isolated as its fire() allows.
        return (list, failed) -> list.forEach(event -> {
            try {
                events.fire(event);
            } catch (RuntimeException e) {
                failed.observerFailed(events.getClass().getName(), e);
            }
        });
    }
}
