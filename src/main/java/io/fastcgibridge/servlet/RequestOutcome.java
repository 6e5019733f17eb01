package io.fastcgibridge.servlet;

/** How a request ended, as the access log and {@code RequestCompletedEvent} report it. */
public enum RequestOutcome {
    /** PHP answered it, and the whole response reached the client. */
    COMPLETED,
    /** A static file of the document root answered it. */
    STATIC,
    /** An observer answered it itself (a maintenance page, a redirect, a refusal). */
    VETOED,
    /** It failed: PHP-FPM, the body, or an observer; the client got an error status or a broken-off response. */
    FAILED,
    /** The client went away first. */
    ABORTED
}
