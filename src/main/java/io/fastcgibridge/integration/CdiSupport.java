package io.fastcgibridge.integration;

import io.fastcgibridge.event.*;

import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletContext;

/** Finds the CDI container of a web application; loaded only when the CDI API is on the class path. */
final class CdiSupport {

    private static final System.Logger LOG = System.getLogger(CdiSupport.class.getName());

    private CdiSupport() {
    }

    /** The CDI dispatcher, or {@code null} when there is no container or the bridge's listeners are not in it. */
    static EventDispatcher dispatcher(ServletContext context) {
        BeanManager beans = beanManager(context);
        if (beans == null) {
            return null;
        }
        CdiEventDispatcher dispatcher = new CdiEventDispatcher(beans);
        if (!dispatcher.hasObserver(RequestEvent.builder(null, null).build(), FastCgiForwardingListener.class)) {
            LOG.log(System.Logger.Level.WARNING, "FCGI-0504 a CDI container is there but not the bridge''s"
                    + " extension ({0}): events go to the built-in listeners only", BridgeExtension.class.getName());
            return null;
        }
        return dispatcher;
    }

    static BeanManager beanManager(ServletContext context) {
        Object attribute = context == null ? null : context.getAttribute(BeanManager.class.getName());
        if (attribute instanceof BeanManager beans) {
            return beans;
        }
        try {
            return CDI.current().getBeanManager();
        } catch (IllegalStateException e) {
            return null;
        }
    }
}
