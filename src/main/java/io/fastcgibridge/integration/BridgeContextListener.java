package io.fastcgibridge.integration;

import io.fastcgibridge.event.*;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/** In a WAR: fires {@link ServerStartEvent} when the web application starts and {@link ServerShutdownEvent} before it stops. */
public class BridgeContextListener implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent sce) {
        Dispatchers.forContext(sce.getServletContext())
                .fire(new ServerStartEvent(null, sce.getServletContext().getContextPath()));
    }

    @Override
    public void contextDestroyed(ServletContextEvent sce) {
        Dispatchers.forContext(sce.getServletContext())
                .fire(new ServerShutdownEvent(sce.getServletContext().getContextPath()));
    }
}
