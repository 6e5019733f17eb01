package io.fastcgibridge.event;

import io.fastcgibridge.client.FastCgiAddress;
import java.util.List;

/** A {@code FastCgiServlet} is being destroyed. */
public final class WorkerStopEvent {

    private final String servletName;
    private final List<FastCgiAddress> backends;

    public WorkerStopEvent(String servletName, List<FastCgiAddress> backends) {
        this.servletName = servletName;
        this.backends = List.copyOf(backends);
    }

    public String servletName() {
        return servletName;
    }

    public List<FastCgiAddress> backends() {
        return backends;
    }
}
