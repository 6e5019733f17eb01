package io.fastcgibridge.sample;

import io.fastcgibridge.event.RequestEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;

/**
 * Answers every request with 503 while a {@code .maintenance} file lies in the document root; PHP
 * never runs meanwhile. Priority 10: before static files (100) and everything else.
 */
@ApplicationScoped
public class MaintenanceMode {

    void onRequest(@Observes @Priority(10) RequestEvent event) throws IOException {
        if (Files.exists(event.documentRoot().resolve(".maintenance"))) {
            event.response().setHeader("Retry-After", "60");
            event.respond(503, "text/plain;charset=UTF-8", "Down for maintenance, back soon.\n");
        }
    }
}
