package io.fastcgibridge.itest.war;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The application's own Micrometer registry, as an EE application produces it; the bridge binds its
 * meters to it. A singleton, not application-scoped: a MeterRegistry cannot be proxied.
 */
@ApplicationScoped
public class MeterRegistryProducer {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Produces
    @Singleton
    MeterRegistry registry() {
        return registry;
    }
}
