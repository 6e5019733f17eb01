package io.fastcgibridge.integration;

import io.fastcgibridge.event.*;

import io.fastcgibridge.servlet.Resolution;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;

/**
 * The last observer of every request: forwards a script to PHP-FPM, answers anything else (a
 * redirect, 404, 400), and always stops propagation.
 */
@ApplicationScoped
public class FastCgiForwardingListener {

    public void onRequest(@Observes @Priority(Priorities.FORWARDING) RequestEvent event) throws IOException {
        Resolution resolution = event.resolution();
        if (resolution instanceof Resolution.Script) {
            event.forward();
            return;
        }
        // A static file reaching this point is one the static-resource listener was told not to serve.
        event.answer(resolution instanceof Resolution.StaticFile ? new Resolution.NotFound() : resolution);
    }
}
