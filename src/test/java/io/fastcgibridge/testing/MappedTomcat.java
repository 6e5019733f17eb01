package io.fastcgibridge.testing;

import io.fastcgibridge.event.EventListeners;
import io.fastcgibridge.integration.BridgeInitializer;
import io.fastcgibridge.integration.Dispatchers;
import io.fastcgibridge.servlet.FastCgiServlet;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.Host;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Valve;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * A real Tomcat with one web application at a context path the test chooses, serving a PHP-FPM's
 * document root: either a {@link FastCgiServlet} declared with init-params and mapped as the test
 * says (as in a web.xml), or the automatic registration of {@link BridgeInitializer} over Tomcat's
 * own defaults (its default and JSP servlets and welcome files, as {@code conf/web.xml} gives them).
 */
public final class MappedTomcat implements AutoCloseable {

    private final Tomcat tomcat;
    private final Path baseDir;
    private final Context context;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    private MappedTomcat(Tomcat tomcat, Path baseDir, Context context) {
        this.tomcat = tomcat;
        this.baseDir = baseDir;
        this.context = context;
    }

    /** The bridge as a declared servlet with these init-params ({@code fpm} is added), at these mappings. */
    public static MappedTomcat servlet(PhpFpm fpm, String contextPath, Map<String, String> initParams,
            String... mappings) {
        return start(fpm, contextPath, context -> {
            Tomcat.addDefaultMimeTypeMappings(context);
            declare(context, fpm, initParams, mappings);
        });
    }

    /**
     * The bridge as a declared servlet behind a valve the container has, as a {@code <Valve>} in
     * server.xml's {@code <Host>} puts it (such as {@code RemoteIpValve}).
     */
    public static MappedTomcat servletBehind(Valve valve, PhpFpm fpm, String contextPath,
            Map<String, String> initParams, String... mappings) {
        return start(fpm, contextPath, context -> {
            Tomcat.addDefaultMimeTypeMappings(context);
            declare(context, fpm, initParams, mappings);
            ((Host) context.getParent()).getPipeline().addValve(valve);
        });
    }

    /** The same, in a context with Tomcat's default servlets and welcome files (those the mappings leave). */
    public static MappedTomcat servletOverDefaults(PhpFpm fpm, String contextPath, Map<String, String> initParams,
            String... mappings) {
        return start(fpm, contextPath, context -> {
            initWebappDefaults(context);
            declare(context, fpm, initParams, mappings);
        });
    }

    private static void declare(Context context, PhpFpm fpm, Map<String, String> initParams, String... mappings) {
        Wrapper servlet = Tomcat.addServlet(context, "bridge", new FastCgiServlet());
        servlet.addInitParameter("fpm", fpm.unixAddress());
        initParams.forEach(servlet::addInitParameter);
        servlet.setAsyncSupported(true);
        servlet.setLoadOnStartup(1);
        for (String mapping : mappings) {
            context.addServletMappingDecoded(mapping, "bridge");
        }
    }

    /**
     * The bridge registered by {@link BridgeInitializer} from {@code fastcgi.*} context params
     * ({@code fastcgi.fpm} is added), in a context with Tomcat's default servlets and welcome files.
     */
    public static MappedTomcat automatic(PhpFpm fpm, String contextPath, Map<String, String> contextParams) {
        return start(fpm, contextPath, context -> {
            initWebappDefaults(context);
            context.addParameter(BridgeInitializer.TRIGGER, fpm.unixAddress());
            contextParams.forEach(context::addParameter);
            context.addServletContainerInitializer(new BridgeInitializer(), null);
        });
    }

    /** Tomcat's defaults, as {@code conf/web.xml} gives them: default and JSP servlets, welcome files. */
    private static void initWebappDefaults(Context context) {
        Tomcat.initWebappDefaults(context);
        // The JSP servlet stays declared, but Jasper is not here to load it.
        ((Wrapper) context.findChild("jsp")).setLoadOnStartup(-1);
    }

    private interface Setup {
        void apply(Context context) throws Exception;
    }

    private static MappedTomcat start(PhpFpm fpm, String contextPath, Setup setup) {
        try {
            Path baseDir = Files.createTempDirectory("mapped-tomcat");
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(baseDir.toString());
            Connector connector = new Connector();
            connector.setPort(0);
            connector.setProperty("address", "127.0.0.1");
            tomcat.setConnector(connector);
            tomcat.getHost().setAutoDeploy(false);
            Context context = tomcat.addContext(contextPath, fpm.documentRoot().toString());
            setup.apply(context);
            tomcat.start();
            return new MappedTomcat(tomcat, baseDir, context);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start Tomcat: " + e.getMessage(), e);
        }
    }

    public ServletContext servletContext() {
        return context.getServletContext();
    }

    /** Where listeners register without CDI. */
    public EventListeners listeners() {
        return (EventListeners) Dispatchers.forContext(servletContext());
    }

    /** {@code http://127.0.0.1:PORT} + the path as given (it includes the context path). */
    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + pathAndQuery);
    }

    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpClient http() {
        return http;
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        } finally {
            try (var paths = Files.walk(baseDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException ignored) {
                // a temporary folder
            }
        }
    }
}
