package io.fastcgibridge.sample;

import io.fastcgibridge.event.RequestEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Adds a header to every response, PHP's and static ones alike (so it runs before the static files at 100). */
@ApplicationScoped
public class PoweredByHeader {

    void onRequest(@Observes @Priority(50) RequestEvent event) {
        event.response().setHeader("X-Served-By", "FastCGI Bridge sample");
    }
}
