package io.fastcgibridge.launcher.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The launcher's own readiness script, for a PHP-FPM without {@code ping.path}: it prints
 * {@code pong} and nothing else, so that readiness never runs an application script. It lives in
 * a folder of the launcher's, readable by all, since an external PHP-FPM runs as another user.
 */
final class PingScript {

    static final String NAME = "fastcgi-bridge-ping.php";

    private PingScript() {
    }

    /** Writes the script into a new folder below {@code parent} and returns it. */
    static Path write(Path parent) throws IOException {
        Path folder = Files.createTempDirectory(parent, "fastcgi-bridge-probe");
        Path script = folder.resolve(NAME);
        Files.writeString(script, "<?php echo 'pong';\n");
        try {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its default permissions apply
        }
        return script;
    }

    /** Removes the script and its folder. */
    static void delete(Path script) {
        try {
            Files.deleteIfExists(script);
            Files.deleteIfExists(script.getParent());
        } catch (IOException ignored) {
            // a temporary file
        }
    }
}
