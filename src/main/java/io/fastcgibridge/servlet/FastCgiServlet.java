package io.fastcgibridge.servlet;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Serves a PHP application from PHP-FPM: each request goes through a {@link RequestPipeline} (with
 * the event package, the CDI events and their listeners) to a {@link Worker} that serves static
 * files and forwards scripts asynchronously, so that no container thread waits for PHP. Configured
 * by init-params (or context params prefixed {@code fastcgi.}) named as {@link BridgeOption}s; map
 * it to {@code /} with async support.
 */
public class FastCgiServlet extends HttpServlet {

    private static final System.Logger LOG = System.getLogger(FastCgiServlet.class.getName());

    /** How long {@link #destroy()} waits for requests in flight. */
    public static final Duration DRAIN = Duration.ofSeconds(10);

    private BridgeConfig config;
    private Worker worker;
    private RequestPipeline pipeline;

    public FastCgiServlet() {
    }

    /** For code that builds its configuration itself, such as the launcher. */
    public FastCgiServlet(BridgeConfig config) {
        this.config = config;
    }

    @Override
    public void init() throws ServletException {
        if (config == null) {
            try {
                config = BridgeConfig.from(option -> initValues(option.key()));
            } catch (RuntimeException e) {
                throw new ServletException("FastCGI Bridge configuration: " + e.getMessage(), e);
            }
        }
        checkStartup();
        if (config.maxConnectionsDefaulted()) {
            LOG.log(System.Logger.Level.INFO, "FCGI-0001 max-connections not set: using {0} per backend;"
                    + " set it to PHP-FPM''s pm.max_children", config.client().maxConnections());
        }
        worker = new Worker(getServletName(), config, getServletContext());
        pipeline = ServiceLoader.load(RequestPipelineFactory.class, FastCgiServlet.class.getClassLoader())
                .findFirst()
                .map(factory -> factory.create(getServletContext()))
                .orElseGet(DirectPipeline::new);
        LOG.log(System.Logger.Level.INFO, "FCGI-0002 {0} serves {1} through {2}", getServletName(),
                config.documentRoot(), config.client().backends());
        pipeline.started(worker);
    }

    /** Logs what will fail requests; with {@code strict}, refuses to start instead. */
    private void checkStartup() throws ServletException {
        List<StartupChecks.Problem> problems = StartupChecks.of(config);
        for (StartupChecks.Problem problem : problems) {
            LOG.log(config.strict() ? System.Logger.Level.ERROR : System.Logger.Level.WARNING,
                    "FCGI-0710 {0}: {1}; {2}", getServletName(), problem.text(), problem.consequence()
                            + (config.strict() ? "" : "; starting anyway (strict on makes this fatal)"));
        }
        if (config.strict() && !problems.isEmpty()) {
            throw new ServletException("FastCGI Bridge (strict): " + problems.size() + " start-up check(s) failed: "
                    + problems.get(0).text());
        }
    }

    /** The settings in use, once initialised. */
    public BridgeConfig config() {
        return config;
    }

    /** An init-param, else a {@code fastcgi.}-prefixed context param; the docroot defaults to the web application's own folder. */
    private List<String> initValues(String key) {
        String value = getInitParameter(key);
        if (value == null) {
            value = getServletContext().getInitParameter("fastcgi." + key);
        }
        if (value == null && key.equals(BridgeOption.DOCROOT.key())) {
            value = getServletContext().getRealPath("/");
        }
        return value == null ? List.of() : List.of(value);
    }

    /** Lets requests in flight finish (for up to {@link #DRAIN}) before the FastCGI client closes. */
    @Override
    public void destroy() {
        if (worker != null) {
            try {
                awaitIdle(DRAIN);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pipeline.stopped(worker);
            worker.close();
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        if (request.getAttribute(AsyncCompletion.ABORT) != null) {
            throw new ServletException("the backend failed after the response had started; breaking it off");
        }
        RequestId.of(request);
        pipeline.handle(request, response, worker);
    }

    /**
     * Waits until no forwarded request is in flight (requests answered on a container thread are
     * waited for by the container itself), or the time is up; for a graceful stop once the
     * connector stopped accepting. Returns whether every request finished.
     */
    public boolean awaitIdle(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (worker != null && worker.inFlight() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
