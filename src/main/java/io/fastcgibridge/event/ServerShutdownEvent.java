package io.fastcgibridge.event;

/**
 * The server (launcher) or the web application (WAR) is about to stop; requests may still be in flight.
 *
 * @param contextPath the web application's context path, empty for the root
 */
public record ServerShutdownEvent(String contextPath) {
}
