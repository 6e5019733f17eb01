package io.fastcgibridge.integration;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Keeps Weld Servlet's request scope on one thread at a time for the requests that Tomcat ends
 * asynchronously, as every forwarded request is.
 *
 * <p>Tomcat tells request listeners that a request began on the thread that received it, and that it
 * ended on whichever thread completes it. Weld Servlet keeps the request, session and conversation
 * contexts in thread locals and expects both calls on the same thread. Left alone, each asynchronous
 * request leaves the receiving thread with active contexts: Weld warns on the next requests (WELD-000714, 715, 225, 335, 712) and Tomcat reports
 * thread-local leaks when the application stops. So the scope ends on the receiving thread as the
 * dispatch that went asynchronous returns, and begins again on the completing thread just before
 * Tomcat ends it there. Elsewhere (no Weld Servlet, another container) this does nothing.
 */
final class WeldRequestScope {

    /** Where Weld Servlet keeps its request listener (weld-web's {@code WeldInitialListener}). */
    static final String LISTENER_ATTRIBUTE = "org.jboss.weld.module.web.servlet.WeldInitialListener";

    private static final System.Logger LOG = System.getLogger(WeldRequestScope.class.getName());

    private final ServletContext context;
    private final ServletRequestListener weld;

    private WeldRequestScope(ServletContext context, ServletRequestListener weld) {
        this.context = context;
        this.weld = weld;
    }

    /** For this application: active on Tomcat with Weld Servlet, else a no-op. */
    static WeldRequestScope of(ServletContext context) {
        boolean tomcat = context != null && String.valueOf(context.getServerInfo()).startsWith("Apache Tomcat");
        Object weld = tomcat ? context.getAttribute(LISTENER_ATTRIBUTE) : null;
        return new WeldRequestScope(context, weld instanceof ServletRequestListener listener ? listener : null);
    }

    /**
     * The bridge's dispatch of {@code request} returns to the container, on the receiving thread: if
     * the request went asynchronous, its scope ends here and resumes on the thread that completes it.
     * Only for the dispatch that began the scope: the request itself, or a forward from the
     * application's own servlet (Tomcat starts no scope for an async or error dispatch, nor for an
     * include, which cannot end the response).
     */
    void dispatchEnded(HttpServletRequest request) {
        if (weld == null || !request.isAsyncStarted() || !beganTheScope(request.getDispatcherType())) {
            return;
        }
        // The container's own request object: the one Tomcat hands to Weld, whatever filters wrapped.
        ServletRequest original = request;
        while (original instanceof ServletRequestWrapper wrapper) {
            original = wrapper.getRequest();
        }
        ServletRequestEvent event = new ServletRequestEvent(context, original);
        try {
            request.getAsyncContext().addListener(new ResumeOnCompletion(event));
            weld.requestDestroyed(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "FCGI-0531 cannot hand Weld''s request scope of {0} over to the"
                    + " thread that completes it: {1}", request.getRequestURI(), e.toString());
        }
    }

    private static boolean beganTheScope(DispatcherType type) {
        return type == DispatcherType.REQUEST || type == DispatcherType.FORWARD;
    }

    /** Begins the scope again on the completing thread; Tomcat ends it there right after the listeners. */
    private final class ResumeOnCompletion implements AsyncListener {

        private final ServletRequestEvent event;

        ResumeOnCompletion(ServletRequestEvent event) {
            this.event = event;
        }

        @Override
        public void onComplete(AsyncEvent ignored) {
            try {
                weld.requestInitialized(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "FCGI-0532 cannot resume Weld''s request scope of a completed"
                        + " request: {0}", e.toString());
            }
        }

        @Override
        public void onTimeout(AsyncEvent ignored) {
        }

        @Override
        public void onError(AsyncEvent ignored) {
        }

        @Override
        public void onStartAsync(AsyncEvent ignored) {
        }
    }
}
