package io.fastcgibridge.itest.app;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Deployed in the WARs only: appends what the observers saw, one line each, to the file named by the
 * system property {@value #PROPERTY} that the test gives Tomcat. The test runs in another process.
 */
@ApplicationScoped
public class EventsFile {

    static final String PROPERTY = "itest.events";

    public synchronized void append(String line) {
        String file = System.getProperty(PROPERTY);
        if (file == null) {
            throw new IllegalStateException("system property " + PROPERTY + " is missing");
        }
        try {
            Files.writeString(Path.of(file), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
