package io.fastcgibridge.itest.app;

import io.fastcgibridge.event.RequestCompletedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Deployed in the WARs only: writes {@code completed URI STATUS OUTCOME visit=ID thread=NAME} for
 * each request, with the id of a request-scoped {@link Visit} of the completion's own.
 */
@ApplicationScoped
public class CompletionLog {

    @Inject
    EventsFile events;

    @Inject
    Visit visit;

    void onCompleted(@Observes RequestCompletedEvent event) {
        events.append("completed " + event.request().uri() + " " + event.status() + " " + event.outcome()
                + " visit=" + visit.id() + " thread=" + Thread.currentThread().getName());
    }
}
