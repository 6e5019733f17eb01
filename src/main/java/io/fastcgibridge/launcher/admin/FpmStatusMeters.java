package io.fastcgibridge.launcher.admin;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * PHP-FPM's own view of each pool that has a status path, as {@code phpfpm.*} meters tagged by
 * backend. {@link #refresh()} asks every PHP-FPM once, before each scrape; the meters show that
 * answer, or nothing (NaN) when it did not come.
 */
final class FpmStatusMeters {

    private static final System.Logger LOG = System.getLogger(FpmStatusMeters.class.getName());

    private record Scraped(BackendProbe probe, AtomicReference<FpmStatus> last) {
    }

    private final List<Scraped> scraped = new ArrayList<>();

    FpmStatusMeters(List<BackendProbe> probes, MeterRegistry registry) {
        for (BackendProbe probe : probes) {
            if (probe.target().statusPath() == null) {
                continue;
            }
            Scraped one = new Scraped(probe, new AtomicReference<>());
            scraped.add(one);
            Tags tags = Tags.of("backend", probe.target().backend().toString());
            gauge(registry, "phpfpm.processes", tags.and("state", "active"), one, FpmStatus::activeProcesses,
                    "PHP-FPM workers serving a request (the status request among them)");
            gauge(registry, "phpfpm.processes", tags.and("state", "idle"), one, FpmStatus::idleProcesses,
                    "PHP-FPM workers waiting for a request");
            gauge(registry, "phpfpm.listen.queue", tags, one, FpmStatus::listenQueue,
                    "Connections waiting in PHP-FPM's listen backlog for a free worker");
            FunctionCounter.builder("phpfpm.max.children.reached", one, s -> value(s, FpmStatus::maxChildrenReached))
                    .tags(tags).description("Times PHP-FPM's pool hit pm.max_children since it started")
                    .register(registry);
            FunctionCounter.builder("phpfpm.slow.requests", one, s -> value(s, FpmStatus::slowRequests))
                    .tags(tags).description("Requests past request_slowlog_timeout since PHP-FPM started")
                    .register(registry);
        }
    }

    /** Asks every PHP-FPM for its status, at once, and waits for the answers (each within the probe timeout). */
    void refresh() {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (Scraped one : scraped) {
            pending.add(one.probe().status().handle((status, failure) -> {
                one.last().set(status);
                if (failure != null) {
                    LOG.log(System.Logger.Level.DEBUG, "FCGI-0810 no PHP-FPM status from {0}: {1}",
                            one.probe().target().backend(), String.valueOf(failure));
                }
                return null;
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    }

    private static void gauge(MeterRegistry registry, String name, Tags tags, Scraped one,
            ToDoubleFunction<FpmStatus> figure, String description) {
        Gauge.builder(name, one, s -> value(s, figure)).tags(tags).strongReference(true).description(description)
                .register(registry);
    }

    private static double value(Scraped one, ToDoubleFunction<FpmStatus> figure) {
        FpmStatus status = one.last().get();
        return status == null ? Double.NaN : figure.applyAsDouble(status);
    }
}
