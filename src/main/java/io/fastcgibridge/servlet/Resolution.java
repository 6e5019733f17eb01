package io.fastcgibridge.servlet;

import java.nio.file.Path;

/** What a request path turned out to be: a script to run, a file to serve, or a refusal. */
public sealed interface Resolution {

    /**
     * A script inside the document root.
     *
     * @param file its real path
     * @param scriptName the script's path in the document root, {@code /a.php}: its URL path inside
     *     the servlet's mapping (PHP's {@code SCRIPT_NAME} adds the context path and a mapping prefix)
     * @param pathInfo what followed the script in the path, {@code /extra}, or empty
     */
    record Script(Path file, String scriptName, String pathInfo) implements Resolution {
    }

    /** A regular, non-script file inside the document root. */
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
