package io.fastcgibridge.launcher;

import io.fastcgibridge.launcher.front.FrontSettings;
import io.fastcgibridge.launcher.front.HttpsRedirectValve;
import io.fastcgibridge.servlet.BridgeConfig;
import io.fastcgibridge.servlet.FastCgiServlet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jakarta.servlet.ServletContext;
import java.time.Duration;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.http11.AbstractHttp11Protocol;

/**
 * An embedded Tomcat with one context at {@code /} whose every path goes to a {@link FastCgiServlet},
 * on a plain port and, with TLS settings, an HTTPS port. {@code Tomcat.addContext} skips annotation
 * and initializer scanning, so the servlet is registered here by hand.
 */
public final class EmbeddedTomcat {

    private final Tomcat tomcat;
    private final Connector connector;
    private final Connector https;
    private final Path baseDir;
    private final Context context;
    private final FastCgiServlet bridge;
    private final Duration grace;

    private EmbeddedTomcat(Tomcat tomcat, Connector connector, Connector https, Path baseDir, Context context,
            FastCgiServlet bridge, Duration grace) {
        this.tomcat = tomcat;
        this.connector = connector;
        this.https = https;
        this.baseDir = baseDir;
        this.context = context;
        this.bridge = bridge;
        this.grace = grace;
    }

    /** Starts listening on {@code host:port} (port 0 picks a free one), without CDI. */
    public static EmbeddedTomcat start(String host, int port, BridgeConfig config, Duration grace)
            throws LifecycleException, IOException {
        return start(host, port, config, grace, Map.of());
    }

    /**
     * Starts listening on {@code host:port}, with servlet context attributes set before the servlet
     * starts (the launcher passes its CDI container's {@code BeanManager} this way).
     */
    public static EmbeddedTomcat start(String host, int port, BridgeConfig config, Duration grace,
            Map<String, Object> contextAttributes) throws LifecycleException, IOException {
        return start(host, port, config, HttpLimits.defaults(), grace, contextAttributes);
    }

    /** Starts listening on {@code host:port} with the launcher's own HTTP limits. */
    public static EmbeddedTomcat start(String host, int port, BridgeConfig config, HttpLimits limits, Duration grace,
            Map<String, Object> contextAttributes) throws LifecycleException, IOException {
        return start(host, port, config, limits, FrontSettings.none(), grace, contextAttributes);
    }

    /** Starts listening on {@code host:port}, and on the HTTPS port when {@code front} has TLS. */
    public static EmbeddedTomcat start(String host, int port, BridgeConfig config, HttpLimits limits,
            FrontSettings front, Duration grace, Map<String, Object> contextAttributes)
            throws LifecycleException, IOException {
        Path baseDir = Files.createTempDirectory("fastcgi-bridge-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        // With HTTPS, each listener gets half of the heap's room for connections.
        long heap = Runtime.getRuntime().maxMemory() / (front.tls().isPresent() ? 2 : 1);
        Connector connector = listening(HttpConnector.create(config, limits, front.h2c(), heap), host, port);
        tomcat.setConnector(connector);
        Connector https = front.tls().map(tls -> listening(HttpConnector.createTls(config, limits, tls, heap),
                host, tls.port())).orElse(null);
        if (https != null) {
            tomcat.getService().addConnector(https);
        }
        tomcat.getHost().setAutoDeploy(false);
        addValves(tomcat, front, https);

        Context context = tomcat.addContext("", config.documentRoot().toString());
        Tomcat.addDefaultMimeTypeMappings(context);
        context.addServletContainerInitializer((classes, servletContext) -> contextAttributes.forEach(
                servletContext::setAttribute), null);
        ((StandardContext) context).setUnloadDelay(grace.toMillis());
        FastCgiServlet bridge = new FastCgiServlet(config);
        Wrapper servlet = Tomcat.addServlet(context, "fastcgi", bridge);
        servlet.setAsyncSupported(true);
        servlet.setLoadOnStartup(1);
        context.addServletMappingDecoded("/", "fastcgi");
        tomcat.start();
        requireListening(tomcat, connector, "cannot listen on " + host + ":" + port);
        if (https != null) {
            requireListening(tomcat, https, "cannot listen with TLS on " + host + ":" + https.getPort()
                    + " (or the certificate and key cannot be read: see the log above)");
        }
        return new EmbeddedTomcat(tomcat, connector, https, baseDir, context, bridge, grace);
    }

    /** The proxy valve first (it decides whether the request is secure), then the redirect, then quiet errors. */
    private static void addValves(Tomcat tomcat, FrontSettings front, Connector https) {
        front.proxies().valve().ifPresent(tomcat.getEngine().getPipeline()::addValve);
        if (front.redirectHttp()) {
            tomcat.getEngine().getPipeline().addValve(new HttpsRedirectValve(
                    () -> https == null ? -1 : https.getLocalPort()));
        }
        ErrorReportValve errors = new ErrorReportValve();
        errors.setShowReport(false);
        errors.setShowServerInfo(false);
        tomcat.getHost().getPipeline().addValve(errors);
    }

    private static Connector listening(Connector connector, String host, int port) {
        connector.setPort(port);
        connector.setProperty("address", host);
        connector.setProperty("server", "fastcgi-bridge");
        // Browsers send PHP's array parameters (?a[]=1) unencoded; Tomcat would answer 400.
        connector.setProperty("relaxedQueryChars", "[]|{}^\\`\"<>");
        // nginx's keepalive_requests; Tomcat's 100 makes a busy client reconnect every 100 requests.
        connector.setProperty("maxKeepAliveRequests", "1000");
        return connector;
    }

    /** Tomcat logs a failed bind and carries on; a server that cannot listen must not look up. */
    private static void requireListening(Tomcat tomcat, Connector connector, String failure)
            throws LifecycleException, IOException {
        if (connector.getState() != LifecycleState.STARTED || connector.getLocalPort() < 0) {
            tomcat.stop();
            tomcat.destroy();
            throw new IOException(failure + " (in use, or not an address of this machine?)");
        }
    }

    /** The web application's context, to fire events through its dispatcher. */
    public ServletContext servletContext() {
        return context.getServletContext();
    }

    /** Tomcat's server, to add services beside the public one (the admin endpoint). */
    public org.apache.catalina.Server server() {
        return tomcat.getServer();
    }

    /** The port it listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The HTTPS port it listens on, or -1 without TLS. */
    public int httpsPort() {
        return https == null ? -1 : https.getLocalPort();
    }

    /**
     * Reads the certificate and key files again; connections already open keep the certificate
     * they were made with, new ones get the new one. Without TLS, nothing happens.
     *
     * @return whether there was a certificate to reload
     * @throws IllegalArgumentException when the new files cannot be used (the old certificate stays)
     */
    public boolean reloadCertificates() {
        if (https == null) {
            return false;
        }
        ((AbstractHttp11Protocol<?>) https.getProtocolHandler()).reloadSslHostConfigs();
        return true;
    }

    /** Stops accepting, lets in-flight requests finish within the grace period, and stops. */
    public void stop() {
        try {
            connector.pause();
            if (https != null) {
                https.pause();
            }
            if (!bridge.awaitIdle(grace)) {
                System.getLogger(EmbeddedTomcat.class.getName()).log(System.Logger.Level.WARNING,
                        "FCGI-0401 requests still in flight after the {0} s grace period are cut off", grace.toSeconds());
            }
            tomcat.stop();
            tomcat.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (LifecycleException e) {
            System.getLogger(EmbeddedTomcat.class.getName()).log(System.Logger.Level.WARNING,
                    "FCGI-0400 Tomcat did not stop cleanly", e);
        } finally {
            deleteQuietly(baseDir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder
        }
    }
}
