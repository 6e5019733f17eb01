package io.fastcgibridge.event;

import io.fastcgibridge.client.FastCgiAddress;
import java.util.List;

/**
 * A {@code FastCgiServlet} (a worker bound to its backends) is initialised and ready.
 *
 * @param servletName the servlet's name
 * @param backends the PHP-FPM addresses it forwards to
 */
public record WorkerStartEvent(String servletName, List<FastCgiAddress> backends) {

    public WorkerStartEvent {
        backends = List.copyOf(backends);
    }
}
