package io.fastcgibridge.itest.war;

import io.fastcgibridge.event.RequestEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;

/**
 * Deployed in the WAR only (WEB-INF/classes), found by CDI bean discovery: answers 503
 * "maintenance" to any request carrying {@code X-Maintenance: on}, before the static-resource
 * listener (100) and the forwarding listener (last), so that PHP never sees the request.
 */
@ApplicationScoped
public class MaintenanceObserver {

    static final String HEADER = "X-Maintenance";

    void onRequest(@Observes @Priority(10) RequestEvent event) throws IOException {
        if ("on".equalsIgnoreCase(event.request().getHeader(HEADER))) {
            event.respond(503, "text/plain;charset=UTF-8", "maintenance\n");
        }
    }
}
