package io.fastcgibridge.integration;

import io.fastcgibridge.event.ServerShutdownEvent;
import io.fastcgibridge.event.ServerStartEvent;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * In a WAR: fires {@link ServerStartEvent} when the web application starts and {@link ServerShutdownEvent}
 * when it stops. {@link BridgeInitializer} registers it in every application that uses the bridge; one
 * declared in web.xml as well changes nothing (each event still fires once).
 */
public class BridgeContextListener implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent sce) {
        WebApplicationLifecycle.start(sce.getServletContext());
    }

    @Override
    public void contextDestroyed(ServletContextEvent sce) {
        WebApplicationLifecycle.of(sce.getServletContext()).ifPresent(WebApplicationLifecycle::contextDestroyed);
    }
}
