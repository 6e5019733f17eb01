package io.fastcgibridge.event;

/** The server or web application is about to stop. */
public final class ServerShutdownEvent {

    private final String contextPath;

    public ServerShutdownEvent(String contextPath) {
        this.contextPath = contextPath;
    }

    public String contextPath() {
        return contextPath;
    }
}
