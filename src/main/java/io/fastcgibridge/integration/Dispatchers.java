package io.fastcgibridge.integration;

import io.fastcgibridge.event.*;

import jakarta.servlet.ServletContext;

/**
 * Picks the dispatcher for a web application, once: the CDI container's when there is one with the
 * bridge's extension active, else a {@link FallbackEventDispatcher} with the built-in listeners,
 * kept as a context attribute so that plain-Tomcat code can register listeners of its own.
 */
public final class Dispatchers {

    /** The context attribute holding the dispatcher in use. */
    public static final String ATTRIBUTE = EventDispatcher.ATTRIBUTE;

    private static final System.Logger LOG = System.getLogger(Dispatchers.class.getName());

    private Dispatchers() {
    }

    /** The dispatcher of this web application. */
    public static synchronized EventDispatcher forContext(ServletContext context) {
        Object existing = context.getAttribute(ATTRIBUTE);
        if (existing instanceof EventDispatcher dispatcher) {
            return dispatcher;
        }
        EventDispatcher dispatcher = cdiApiPresent() ? CdiSupport.dispatcher(context) : null;
        if (dispatcher == null) {
            dispatcher = BuiltInListeners.register(new FallbackEventDispatcher());
            LOG.log(System.Logger.Level.INFO, "FCGI-0503 no CDI container: events go to the built-in listeners"
                    + " and to listeners registered on the context attribute " + ATTRIBUTE);
        }
        context.setAttribute(ATTRIBUTE, dispatcher);
        return dispatcher;
    }

    /** The dispatcher of a CDI container, for beans that get a {@code BeanManager} injected. */
    public static EventDispatcher cdi(jakarta.enterprise.inject.spi.BeanManager beans) {
        return new CdiEventDispatcher(beans);
    }

    /** A plain Tomcat has no CDI classes at all; touching them would fail. */
    private static boolean cdiApiPresent() {
        try {
            Class.forName("jakarta.enterprise.inject.spi.CDI", false, Dispatchers.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
