package io.fastcgibridge.itest.app;

import jakarta.enterprise.context.RequestScoped;
import java.util.UUID;

/** Deployed in the WARs only: one per request, so two requests never see the same id. */
@RequestScoped
public class Visit {

    private final String id = UUID.randomUUID().toString();

    public String id() {
        return id;
    }
}
