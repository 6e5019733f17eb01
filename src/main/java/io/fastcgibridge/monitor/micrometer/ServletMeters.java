package io.fastcgibridge.monitor.micrometer;

import io.fastcgibridge.client.FastCgiAddress;
import io.fastcgibridge.client.FastCgiException;
import io.fastcgibridge.client.PoolState;
import io.fastcgibridge.monitor.BackendCounters;
import io.fastcgibridge.monitor.ServletCounters;
import io.fastcgibridge.monitor.StatusClass;
import io.fastcgibridge.servlet.RequestOutcome;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * One servlet's meters in one registry, read from its counters at scrape time (so recording costs
 * the same with or without a registry). Every series a backend can have is there from the start,
 * at zero, as Prometheus advises; no tag ever holds a path.
 */
final class ServletMeters {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    private ServletMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    static ServletMeters bind(ServletCounters servlet, MeterRegistry registry) {
        ServletMeters bound = new ServletMeters(registry);
        Tags tags = Tags.of("servlet", servlet.servlet());
        for (BackendCounters backend : servlet.backends()) {
            bound.backend(servlet, backend, tags.and("backend", backend.backend().toString()));
        }
        bound.add(FunctionCounter.builder("fastcgi.requests.static", servlet, ServletCounters::staticRequests)
                .tags(tags).description("Requests answered with a static file, without PHP").register(registry));
        bound.add(FunctionCounter.builder("fastcgi.requests.vetoed", servlet, ServletCounters::vetoedRequests)
                .tags(tags).description("Requests an observer answered itself, without PHP").register(registry));
        return bound;
    }

    private void backend(ServletCounters servlet, BackendCounters counters, Tags tags) {
        for (RequestOutcome outcome : BackendCounters.OUTCOMES) {
            for (StatusClass status : StatusClass.values()) {
                add(FunctionTimer.builder("fastcgi.requests", counters,
                                c -> c.requests(outcome, status), c -> c.requestTime(outcome, status, TimeUnit.NANOSECONDS),
                                TimeUnit.NANOSECONDS)
                        .tags(tags.and("outcome", outcome.name().toLowerCase(Locale.ROOT), "status", status.tag()))
                        .description("Requests forwarded to PHP-FPM, until their response ended").register(registry));
            }
        }
        add(FunctionTimer.builder("fastcgi.time.to.first.byte", counters, BackendCounters::firstBytes,
                        c -> c.firstByteTime(TimeUnit.NANOSECONDS), TimeUnit.NANOSECONDS)
                .tags(tags).description("From forwarding a request until PHP's response headers came").register(registry));
        FastCgiAddress address = counters.backend();
        gauge("fastcgi.connections", servlet, tags.and("state", "active"), s -> pool(s, address, PoolState::active),
                "Connections serving a request");
        gauge("fastcgi.connections", servlet, tags.and("state", "idle"), s -> pool(s, address, PoolState::idle),
                "Kept connections waiting for a request; each pins a PHP-FPM worker");
        gauge("fastcgi.connections.waiting", servlet, tags, s -> pool(s, address, PoolState::waiting),
                "Requests waiting for a connection");
        gauge("fastcgi.backend.up", servlet, tags, s -> pool(s, address, p -> p.down() ? 0 : 1),
                "1 while the backend is in use, 0 while it is marked down after refused connections");
        for (FastCgiException.Code code : FastCgiException.Code.values()) {
            add(FunctionCounter.builder("fastcgi.failures", counters, c -> c.failures(code))
                    .tags(tags.and("code", code.name().toLowerCase(Locale.ROOT)))
                    .description("Requests that failed, by FastCgiException code").register(registry));
        }
        add(FunctionCounter.builder("fastcgi.request.bytes", counters, BackendCounters::bytesIn).tags(tags)
                .baseUnit("bytes").description("Request body bytes sent to PHP-FPM").register(registry));
        add(FunctionCounter.builder("fastcgi.response.bytes", counters, BackendCounters::bytesOut).tags(tags)
                .baseUnit("bytes").description("Response body bytes written to clients").register(registry));
    }

    private void gauge(String name, ServletCounters servlet, Tags tags, ToDoubleFunction<ServletCounters> value,
            String description) {
        add(Gauge.builder(name, servlet, value).tags(tags).strongReference(true).description(description)
                .register(registry));
    }

    private static double pool(ServletCounters servlet, FastCgiAddress backend, ToDoubleFunction<PoolState> figure) {
        PoolState state = servlet.pool(backend);
        return state == null ? Double.NaN : figure.applyAsDouble(state);
    }

    private void add(Meter meter) {
        meters.add(meter);
    }

    /** Takes the meters out of the registry. */
    void remove() {
        meters.forEach(registry::remove);
        meters.clear();
    }
}
