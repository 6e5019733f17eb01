package io.fastcgibridge.launcher.admin;

import io.fastcgibridge.client.FastCgiAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Builds the probe targets of the launcher's backends from its flags. */
public final class ProbeTargets {

    private ProbeTargets() {
    }

    /**
     * Every backend pinged at {@code pingPath}, or when that is empty through the launcher's own
     * script (written once below {@code scriptParent}); its status read at {@code statusPath} unless empty.
     */
    public static List<ProbeTarget> of(List<FastCgiAddress> backends, String pingPath, String statusPath,
            Path scriptParent) throws IOException {
        Path script = pingPath.isEmpty() ? PingScript.write(scriptParent) : null;
        return backends.stream().map(backend -> new ProbeTarget(backend, pingPath.isEmpty() ? null : pingPath,
                script, statusPath.isEmpty() ? null : statusPath)).toList();
    }
}
