package io.fastcgibridge.launcher;

import io.fastcgibridge.event.ServerShutdownEvent;
import io.fastcgibridge.event.ServerStartEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;

/**
 * The launcher's built-in listeners: the start and stop log lines ({@code --lifecycle-log off}
 * removes them) and the PID file, written when the server starts and removed when it stops.
 */
@ApplicationScoped
public class LauncherListeners {

    private static final System.Logger LOG = System.getLogger("io.fastcgibridge.launcher");

    /** After the earliest application observers, before those at the default priority. */
    static final int PRIORITY = 1000;

    @Inject
    LauncherSettings settings;

    void started(@Observes @Priority(PRIORITY) ServerStartEvent event) throws IOException {
        if (settings.pidFile() != null) {
            Files.writeString(settings.pidFile(), ProcessHandle.current().pid() + "\n");
        }
        if (settings.lifecycleLog()) {
            LOG.log(System.Logger.Level.INFO, "FCGI-0600 started, listening on {0}", event.address());
        }
    }

    void stopping(@Observes @Priority(PRIORITY) ServerShutdownEvent event) throws IOException {
        if (settings.lifecycleLog()) {
            LOG.log(System.Logger.Level.INFO, "FCGI-0601 stopping");
        }
        if (settings.pidFile() != null) {
            Files.deleteIfExists(settings.pidFile());
        }
    }
}
