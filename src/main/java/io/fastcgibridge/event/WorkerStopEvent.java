package io.fastcgibridge.event;

import io.fastcgibridge.client.FastCgiAddress;
import java.util.List;

/**
 * A {@code FastCgiServlet} is being destroyed, once its requests in flight ended or its grace passed.
 *
 * @param servletName the servlet's name
 * @param backends the PHP-FPM addresses it forwarded to
 */
public record WorkerStopEvent(String servletName, List<FastCgiAddress> backends) {

    public WorkerStopEvent {
        backends = List.copyOf(backends);
    }
}
