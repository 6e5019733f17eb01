package io.fastcgibridge.launcher.admin;

import io.fastcgibridge.monitor.micrometer.FastCgiBridgeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Server;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardEngine;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.core.StandardService;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * The launcher's admin port: a Tomcat service of its own (connector, engine, host, one context
 * with the {@link AdminServlet}) beside the public one, so that the public port never reaches
 * {@code /metrics} and the admin port never reaches PHP. It stops with the server.
 */
public final class AdminEndpoint {

    private static final System.Logger LOG = System.getLogger(AdminEndpoint.class.getName());

    private final Connector connector;

    private AdminEndpoint(Connector connector) {
        this.connector = connector;
    }

    /** Adds the admin service to a started Tomcat {@code server} and starts it. */
    public static AdminEndpoint start(Server server, AdminSettings settings, List<ProbeTarget> targets)
            throws IOException, LifecycleException {
        List<BackendProbe> probes = new ArrayList<>();
        targets.forEach(target -> probes.add(new BackendProbe(target, settings.probeTimeout())));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FastCgiBridgeMetrics bridgeMeters = new FastCgiBridgeMetrics();
        bridgeMeters.bindTo(registry);
        FpmStatusMeters fpmStatus = new FpmStatusMeters(probes, registry);

        Path base = Files.createTempDirectory("fastcgi-bridge-admin");
        StandardService service = new StandardService();
        service.setName("admin");
        StandardEngine engine = new StandardEngine();
        engine.setName("admin");
        engine.setDefaultHost("localhost");
        service.setContainer(engine);
        StandardHost host = new StandardHost();
        host.setName("localhost");
        host.setAppBase(base.toString());
        host.setAutoDeploy(false);
        ErrorReportValve errors = new ErrorReportValve();
        errors.setShowReport(false);
        errors.setShowServerInfo(false);
        host.getPipeline().addValve(errors);
        engine.addChild(host);
        Context context = new StandardContext();
        context.setName("admin");
        context.setPath("");
        context.setDocBase(base.toString());
        context.addLifecycleListener(new Tomcat.FixContextListener());
        host.addChild(context);
        Wrapper servlet = Tomcat.addServlet(context, "admin",
                new AdminServlet(registry, fpmStatus, new Readiness(probes)));
        servlet.setLoadOnStartup(1);
        context.addServletMappingDecoded("/", "admin");

        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(settings.port());
        connector.setProperty("address", settings.host());
        connector.setProperty("maxThreads", "4");
        connector.setProperty("server", "fastcgi-bridge-admin");
        service.addConnector(connector);
        service.addLifecycleListener(event -> {
            if (Lifecycle.AFTER_STOP_EVENT.equals(event.getType())) {
                bridgeMeters.close();
                registry.close();
                probes.forEach(BackendProbe::close);
                targets.stream().filter(t -> t.pingScript() != null).forEach(t -> PingScript.delete(t.pingScript()));
                deleteQuietly(base);
            }
        });
        server.addService(service);
        if (connector.getState() != LifecycleState.STARTED || connector.getLocalPort() < 0) {
            server.removeService(service);
            throw new IOException("cannot listen on " + settings.host() + ":" + settings.port()
                    + " for the admin endpoint (in use, or not an address of this machine?)");
        }
        LOG.log(System.Logger.Level.INFO, "FCGI-0811 admin endpoint on {0}:{1}: /metrics, /health/live,"
                + " /health/ready", settings.host(), Integer.toString(connector.getLocalPort()));
        return new AdminEndpoint(connector);
    }

    /** The port it listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder
        }
    }
}
