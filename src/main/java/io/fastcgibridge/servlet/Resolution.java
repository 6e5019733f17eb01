package io.fastcgibridge.servlet;

import java.nio.file.Path;

/** What a request path turned out to be: a script to run, a file to serve, or a refusal. */
public sealed interface Resolution {

    /**
     * A script reached from the document root.
     *
     * @param file its path as requested, the document root and the script name (PHP's
     *     {@code SCRIPT_FILENAME}), which may pass through symbolic links the policy allowed
     * @param scriptName the script's path in the document root, {@code /a.php}: its URL path inside
     *     the servlet's mapping (PHP's {@code SCRIPT_NAME} adds the context path and a mapping prefix)
     * @param pathInfo what followed the script in the path, {@code /extra}, or empty
     */
    record Script(Path file, String scriptName, String pathInfo) implements Resolution {
    }

    /** A regular, non-script file reached from the document root; {@code file} is its real path. */
    record StaticFile(Path file) implements Resolution {
    }

    /** A directory asked for without its trailing slash; the location is inside the servlet's mapping. */
    record Redirect(String location) implements Resolution {
    }

    /** Nothing to serve, or something that must not be served; the same answer for both. */
    record NotFound() implements Resolution {
    }

    /** A path no file name can hold (CR, LF or NUL). */
    record BadRequest(String why) implements Resolution {
    }
}
