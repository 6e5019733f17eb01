package io.fastcgibridge.itest.app;

import io.fastcgibridge.event.RequestEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** Deployed in the WARs only: tells the client the id of its request-scoped {@link Visit}. */
@ApplicationScoped
public class VisitHeader {

    @Inject
    Visit visit;

    void onRequest(@Observes @Priority(50) RequestEvent event) {
        event.response().setHeader("X-Visit", visit.id());
    }
}
