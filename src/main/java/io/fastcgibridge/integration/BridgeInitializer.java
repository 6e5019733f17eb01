package io.fastcgibridge.integration;

import io.fastcgibridge.event.*;

import io.fastcgibridge.servlet.FastCgiServlet;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.Set;

/**
 * Sets the bridge up in a WAR without any servlet declaration: when the web application has a
 * {@code fastcgi.fpm} context param (and no {@code FastCgiServlet} of its own), a FastCgiServlet
 * serves every path, configured by {@code fastcgi.*} context params. Every application that uses the
 * bridge, with this servlet or one declared in web.xml, gets the {@link BridgeContextListener}, so
 * that {@link ServerStartEvent} and {@link ServerShutdownEvent} fire without a declaration.
 */
public class BridgeInitializer implements ServletContainerInitializer {

    /** The context param that turns the bridge on. */
    public static final String TRIGGER = "fastcgi.fpm";

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        boolean declared = declaresBridge(context);
        if (declared || context.getInitParameter(TRIGGER) != null) {
            context.addListener(BridgeContextListener.class);
        }
        if (context.getInitParameter(TRIGGER) == null || declared) {
            return;
        }
        ServletRegistration.Dynamic servlet = context.addServlet("fastcgi-bridge", FastCgiServlet.class);
        servlet.setAsyncSupported(true);
        servlet.setLoadOnStartup(1);
        // The JSP mappings too: a .jsp that lands in the document root must never run in the container.
        servlet.addMapping("/", "*.jsp", "*.jspx");
    }

    private static boolean declaresBridge(ServletContext context) {
        return context.getServletRegistrations().values().stream()
                .anyMatch(registration -> FastCgiServlet.class.getName().equals(registration.getClassName()));
    }
}
