package io.fastcgibridge.event;

import io.fastcgibridge.client.FastCgiAddress;
import java.util.List;

/** A {@code FastCgiServlet} (a worker bound to its backends) is initialised and ready. */
public final class WorkerStartEvent {

    private final String servletName;
    private final List<FastCgiAddress> backends;

    public WorkerStartEvent(String servletName, List<FastCgiAddress> backends) {
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
