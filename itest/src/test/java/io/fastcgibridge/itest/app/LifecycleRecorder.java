package io.fastcgibridge.itest.app;

import io.fastcgibridge.event.ServerShutdownEvent;
import io.fastcgibridge.event.ServerStartEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * Deployed in the WARs only: writes {@code start CONTEXT cdi-ok} and {@code shutdown CONTEXT cdi-ok}.
 * The greeter is looked up as the event arrives, which fails if the CDI container has stopped.
 */
@ApplicationScoped
public class LifecycleRecorder {

    @Inject
    EventsFile events;

    @Inject
    Instance<Greeter> greeters;

    void started(@Observes ServerStartEvent event) {
        events.append("start " + event.contextPath() + " " + greeters.get().greeting());
    }

    void stopping(@Observes ServerShutdownEvent event) {
        events.append("shutdown " + event.contextPath() + " " + greeters.get().greeting());
    }
}
