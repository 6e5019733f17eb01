package io.fastcgibridge.event;

import java.net.URI;

/**
 * The server is up: in the launcher, Tomcat started and listens at {@link #address()}; in a WAR,
 * the web application at {@link #contextPath()} started.
 */
public final class ServerStartEvent {

    private final URI address;
    private final String contextPath;

    public ServerStartEvent(URI address, String contextPath) {
        this.address = address;
        this.contextPath = contextPath;
    }

    /** Where it listens, {@code http://127.0.0.1:8080}, or {@code null} when the container does not say. */
    public URI address() {
        return address;
    }

    public String contextPath() {
        return contextPath;
    }
}
