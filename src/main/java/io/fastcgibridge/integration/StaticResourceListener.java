package io.fastcgibridge.integration;

import io.fastcgibridge.event.*;

import io.fastcgibridge.servlet.Resolution;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;

/**
 * Serves a request for a static file of the document root and vetoes it, so PHP-FPM never sees
 * it. Off with {@code static-resources=off}; replaced by an earlier observer that answers first.
 */
@ApplicationScoped
public class StaticResourceListener {

    public void onRequest(@Observes @Priority(Priorities.STATIC_RESOURCES) RequestEvent event) throws IOException {
        if (event.config().staticResources() && event.resolution() instanceof Resolution.StaticFile file) {
            // Answered as the resolution, not by path: the bridge then opens it under the symlink policy.
            event.answer(file);
        }
    }
}
