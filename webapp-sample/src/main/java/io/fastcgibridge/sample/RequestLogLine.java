package io.fastcgibridge.sample;

import io.fastcgibridge.event.RequestCompletedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** A custom access-log line: method, URI, status, outcome and milliseconds, to the sample's logger. */
@ApplicationScoped
public class RequestLogLine {

    private static final System.Logger LOG = System.getLogger("io.fastcgibridge.sample");

    void onCompleted(@Observes RequestCompletedEvent event) {
        LOG.log(System.Logger.Level.INFO, "sample {0} {1} {2} {3} {4}ms", event.request().method(),
                event.request().uri(), Integer.toString(event.status()), event.outcome(),
                Long.toString(event.duration().toMillis()));
    }
}
