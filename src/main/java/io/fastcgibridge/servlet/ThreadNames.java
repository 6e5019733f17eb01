package io.fastcgibridge.servlet;

import jakarta.servlet.ServletContext;

/**
 * The name a web application gives the threads the bridge starts for it ({@code fastcgi-io-shop-0},
 * {@code fastcgi-completion-ROOT-1}), so that a thread dump of a container with several
 * applications says whose each thread is.
 */
public final class ThreadNames {

    private ThreadNames() {
    }

    /**
     * The context path without its leading slash and with {@code #} for the others, as Tomcat names
     * a WAR for that path ({@code /shop/admin} is {@code shop#admin}); {@code ROOT} for the root.
     */
    public static String of(ServletContext context) {
        String path = context == null ? "" : context.getContextPath();
        return path == null || path.isEmpty() || path.equals("/") ? "ROOT" : path.substring(1).replace('/', '#');
    }
}
