package io.fastcgibridge.integration;

import io.fastcgibridge.event.EventDispatcher;
import io.fastcgibridge.event.ServerShutdownEvent;
import io.fastcgibridge.event.ServerStartEvent;
import jakarta.servlet.ServletContext;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The start and stop of one web application that uses the bridge, each fired once as
 * {@link ServerStartEvent} and {@link ServerShutdownEvent}, however many listeners and servlets report it.
 *
 * <p>Stopping is reported first by the bridge's servlets as they are destroyed: the Servlet
 * specification destroys every servlet before any context listener hears of the stop, so the CDI
 * container (which Weld Servlet stops in its own context listener) still runs. The context listener
 * only reports it when no bridge servlet ever started.
 */
final class WebApplicationLifecycle {

    /** The servlet context attribute holding it, once the application started. */
    static final String ATTRIBUTE = WebApplicationLifecycle.class.getName();

    private static final System.Logger LOG = System.getLogger(WebApplicationLifecycle.class.getName());

    private final EventDispatcher events;
    private final String contextPath;
    private final AtomicInteger workersStarted = new AtomicInteger();
    private final AtomicBoolean stopping = new AtomicBoolean();

    private WebApplicationLifecycle(EventDispatcher events, String contextPath) {
        this.events = events;
        this.contextPath = contextPath;
    }

    /**
     * Fires {@link ServerStartEvent} and remembers the application as started; does nothing when it
     * already is (the listener registered automatically and declared in web.xml as well).
     */
    static synchronized void start(ServletContext context) {
        if (of(context).isPresent()) {
            return;
        }
        WebApplicationLifecycle lifecycle = new WebApplicationLifecycle(Dispatchers.forContext(context),
                context.getContextPath());
        context.setAttribute(ATTRIBUTE, lifecycle);
        lifecycle.events.fire(new ServerStartEvent(null, lifecycle.contextPath));
    }

    /** The lifecycle of a started application; empty where nothing started it (the launcher fires its own). */
    static Optional<WebApplicationLifecycle> of(ServletContext context) {
        return context.getAttribute(ATTRIBUTE) instanceof WebApplicationLifecycle lifecycle
                ? Optional.of(lifecycle) : Optional.empty();
    }

    /** A bridge servlet of this application started. */
    void workerStarted() {
        workersStarted.incrementAndGet();
    }

    /** A bridge servlet is being destroyed: the application stops, and the CDI container still runs. */
    void workerStopping() {
        fireShutdown();
    }

    /** The context listener hears of the stop: late for CDI, so only when no servlet has reported it. */
    void contextDestroyed() {
        if (stopping.get()) {
            return;
        }
        if (workersStarted.get() == 0) {
            LOG.log(System.Logger.Level.WARNING, "FCGI-0530 {0}: no FastCGI servlet of this application ever"
                    + " started, so ServerShutdownEvent comes from the context listener, which may run after the"
                    + " CDI container stopped (its observers then miss it); give the servlet <load-on-startup>",
                    contextPath.isEmpty() ? "/" : contextPath);
        }
        fireShutdown();
    }

    private void fireShutdown() {
        if (stopping.compareAndSet(false, true)) {
            events.fire(new ServerShutdownEvent(contextPath));
        }
    }
}
