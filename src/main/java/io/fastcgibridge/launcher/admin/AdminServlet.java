package io.fastcgibridge.launcher.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The admin port's only servlet: {@code /metrics} (Prometheus text), {@code /health/live} (the JVM
 * serves) and {@code /health/ready} (a PHP-FPM answers); 404 for anything else. Never PHP.
 */
final class AdminServlet extends HttpServlet {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final transient PrometheusMeterRegistry registry;
    private final transient FpmStatusMeters fpmStatus;
    private final transient Readiness readiness;

    AdminServlet(PrometheusMeterRegistry registry, FpmStatusMeters fpmStatus, Readiness readiness) {
        this.registry = registry;
        this.fpmStatus = fpmStatus;
        this.readiness = readiness;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        switch (request.getRequestURI()) {
            case "/metrics" -> {
                fpmStatus.refresh();
                write(response, 200, PROMETHEUS_TEXT, registry.scrape());
            }
            case "/health/live" -> write(response, 200, "application/json", "{\"status\":\"live\"}");
            case "/health/ready" -> {
                Readiness.Verdict verdict = readiness.check();
                write(response, verdict.ready() ? 200 : 503, "application/json", verdict.json());
            }
            default -> write(response, 404, "text/plain; charset=utf-8",
                    "not found: the admin port serves /metrics, /health/live and /health/ready\n");
        }
    }

    private static void write(HttpServletResponse response, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(type);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
