package io.fastcgibridge.itest.war;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.stream.Collectors;

/**
 * Shows the application's registry, one line a meter: {@code name tag=value,... STATISTIC=value ...},
 * so the test (outside the WAR) can read the bridge's meters.
 */
public class MetersServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        MeterRegistry registry = CDI.current().select(MeterRegistry.class).get();
        response.setContentType("text/plain");
        PrintWriter out = response.getWriter();
        for (Meter meter : registry.getMeters()) {
            String tags = meter.getId().getTags().stream().map(tag -> tag.getKey() + "=" + tag.getValue())
                    .collect(Collectors.joining(","));
            StringBuilder line = new StringBuilder(meter.getId().getName()).append(' ').append(tags);
            for (Measurement measurement : meter.measure()) {
                line.append(' ').append(measurement.getStatistic()).append('=').append(measurement.getValue());
            }
            out.println(line);
        }
    }
}
