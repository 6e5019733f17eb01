package io.fastcgibridge.bench.jetty;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.fcgi.proxy.FastCGIProxyHandler;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;

/**
 * Jetty 12 in front of PHP-FPM the way nginx is in {@code itest/bench/compare.sh}: {@code *.php}
 * goes through Jetty's FastCGI proxy to PHP-FPM on a Unix socket, every other path is a static
 * file of the document root. A benchmark front only, not part of the bridge.
 *
 * <pre>java -jar jetty-fcgi-proxy.jar --port P --docroot DIR --fpm /path/to/php-fpm.sock [--max-connections N]</pre>
 */
public final class JettyFastCgiProxy {

    private JettyFastCgiProxy() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int port = Integer.parseInt(required(options, "--port"));
        Path docroot = Path.of(required(options, "--docroot")).toAbsolutePath().normalize();
        Path fpmSocket = Path.of(required(options, "--fpm")).toAbsolutePath();
        // Without it, Jetty's default of 64 connections per destination. PHP-FPM keeps a child on a
        // kept-alive connection, so connections beyond its children wait until one closes.
        Integer maxConnections = options.containsKey("--max-connections")
            ? Integer.valueOf(options.get("--max-connections")) : null;

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);

        PathMappingsHandler routes = new PathMappingsHandler();
        routes.addMapping(new ServletPathSpec("*.php"), phpFpm(server, docroot, fpmSocket, maxConnections));
        routes.addMapping(new ServletPathSpec("/"), staticFiles());
        ContextHandler root = new ContextHandler(routes, "/");
        root.setBaseResourceAsPath(docroot);
        server.setHandler(root);
        // Jetty 12 core sets no limit on request bodies, so the 2 GiB the launcher takes pass too.

        server.start();
        System.out.println("listening on 127.0.0.1:" + connector.getLocalPort());
        server.join();
    }

    /** FastCGI to PHP-FPM; SCRIPT_FILENAME is the document root followed by the path. */
    private static Handler phpFpm(Server server, Path docroot, Path fpmSocket, Integer maxConnections) {
        FastCGIProxyHandler proxy = new FastCGIProxyHandler(JettyFastCgiProxy::fpmUri, docroot.toString()) {
            @Override
            protected void configureHttpClient(HttpClient client) {
                super.configureHttpClient(client);
                // As Jetty's ProxyServlet does by default: the client runs on the server's thread pool.
                client.setExecutor(server.getThreadPool());
                // Idle connections to PHP-FPM close after 1 s, as compare.sh has the other fronts do:
                // each one pins a PHP-FPM child, and the fronts take turns on one pool.
                client.setIdleTimeout(1000);
                if (maxConnections != null) {
                    client.setMaxConnectionsPerDestination(maxConnections);
                }
            }
        };
        // Each request to PHP-FPM goes over Transport.TCPUnix on this path (Java 16+).
        proxy.setUnixDomainPath(fpmSocket);
        // As shipped, the proxy holds a body sent with "Expect: 100-continue" (curl does above 1 MiB)
        // until PHP-FPM answers 100 Continue, which it never does: such an upload hangs. wrk sends none.
        return proxy;
    }

    /**
     * The request's path and query on one fixed origin: all requests share one destination and so
     * one pool of connections; the Unix socket transport ignores host and port.
     */
    private static HttpURI fpmUri(Request request) {
        return HttpURI.build(request.getHttpURI()).scheme(HttpScheme.HTTP).host("localhost").port(80);
    }

    /** Static files of the context's base resource, the document root; no directory listings. */
    private static Handler staticFiles() {
        ResourceHandler files = new ResourceHandler();
        files.setDirAllowed(false);
        return files;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got: " + String.join(" ", args));
            }
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name
                + "; usage: --port P --docroot DIR --fpm /path/to/php-fpm.sock [--max-connections N]");
        }
        return value;
    }
}
