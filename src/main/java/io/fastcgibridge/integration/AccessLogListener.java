package io.fastcgibridge.integration;

import io.fastcgibridge.event.*;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Writes each completed request to the access log named by the {@code access-log} option. */
@ApplicationScoped
public class AccessLogListener {

    /** Whether {@code event} is one this listener writes: a completion of a servlet with an access log. */
    static boolean writes(Object event) {
        return event instanceof RequestCompletedEvent completed && !AccessLogTargets.of(completed.servletName()).isEmpty();
    }

    public void onCompleted(@Observes RequestCompletedEvent event) {
        String target = AccessLogTargets.of(event.servletName());
        if (!target.isEmpty()) {
            AccessLog.forTarget(target).write(CombinedLogFormat.format(event));
        }
    }
}
