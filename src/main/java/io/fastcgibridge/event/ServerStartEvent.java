package io.fastcgibridge.event;

import java.net.URI;

/**
 * The server is up: in the launcher, Tomcat started and listens at {@code address}; in a WAR, the
 * web application at {@code contextPath} started.
 *
 * @param address where it listens, {@code http://127.0.0.1:8080}, or {@code null} when the container does not say
 * @param contextPath the web application's context path, empty for the root
 */
public record ServerStartEvent(URI address, String contextPath) {
}
