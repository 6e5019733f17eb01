package io.fastcgibridge.itest.war;

import io.fastcgibridge.event.RequestCompletedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Deployed in the WAR only: appends one line {@code METHOD URI STATUS BYTESOUT OUTCOME} per
 * {@link RequestCompletedEvent} to the file named by the context param {@value #LOG_PARAM}. The test
 * runs in another class loader, so a file is how it reads what the observer saw.
 */
@ApplicationScoped
public class CompletionRecorder {

    static final String LOG_PARAM = "itest.completed-log";

    private volatile Path log;

    /** Weld Servlet fires this when the web application starts: before any request. */
    void start(@Observes @Initialized(ApplicationScoped.class) ServletContext context) {
        String value = context.getInitParameter(LOG_PARAM);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("context param " + LOG_PARAM + " is missing");
        }
        log = Path.of(value);
    }

    synchronized void onCompleted(@Observes RequestCompletedEvent event) throws IOException {
        Path target = log;
        if (target == null) {
            throw new IllegalStateException("a request completed before the web application started");
        }
        String line = event.request().method() + " " + event.request().uri() + " " + event.status() + " "
                + event.bytesOut() + " " + event.outcome() + "\n";
        Files.writeString(target, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }
}
