package io.fastcgibridge.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.event.RequestEvent;
import io.fastcgibridge.integration.FallbackEventDispatcher;
import io.fastcgibridge.monitor.micrometer.FastCgiBridgeMetrics;
import io.fastcgibridge.servlet.Resolution;
import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The figures an operator reads are exact: after N scripts, k vetoed requests, s static files and m
 * requests against a killed PHP-FPM, the meters and the backend's MBean say exactly that.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CountedRequestsTest {

    private static final int SCRIPTS = 5;
    private static final int VETOED = 3;
    private static final int STATIC = 2;
    private static final int FAILED = 4;

    @Test
    void metersAndMBeanCountExactlyWhatHappened(PhpFpm fpm) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (FastCgiBridgeMetrics metrics = new FastCgiBridgeMetrics();
                BridgeServer bridge = BridgeServer.start(fpm, Map.of())) {
            metrics.bindTo(registry);
            ((FallbackEventDispatcher) bridge.events()).register(RequestEvent.class, 10, event -> {
                if (event.request().getRequestURI().startsWith("/maintenance")) {
                    try {
                        event.answer(new Resolution.NotFound());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
            for (int i = 0; i < SCRIPTS; i++) {
                assertEquals("Hello World", bridge.get("/greeter.php").body());
            }
            String backend = fpm.unixAddress();
            awaitCount(SCRIPTS, () -> (long) timer(registry, backend, "completed", "2xx").count());
            assertEquals(SCRIPTS * "Hello World".length(),
                    (long) counter(registry, "fastcgi.response.bytes", backend, null, null));
            for (int i = 0; i < VETOED; i++) {
                assertEquals(404, bridge.get("/maintenance/" + i).statusCode());
            }
            for (int i = 0; i < STATIC; i++) {
                assertEquals(200, bridge.get("/static/site.css").statusCode());
            }
            fpm.kill();
            for (int i = 0; i < FAILED; i++) {
                assertEquals(502, bridge.get("/greeter.php").statusCode());
            }

            awaitCount(FAILED, () -> (long) timer(registry, backend, "failed", "5xx").count());
            assertEquals(FAILED, (long) counter(registry, "fastcgi.failures", backend, "code", "connect_refused"));
            assertEquals(0, (long) counter(registry, "fastcgi.failures", backend, "code", "read_timeout"));
            assertEquals(0, timer(registry, backend, "completed", "5xx").count());
            assertEquals(SCRIPTS, registry.get("fastcgi.time.to.first.byte").tag("backend", backend)
                    .functionTimer().count());
            assertEquals(SCRIPTS, timer(registry, backend, "completed", "2xx").count());
            assertEquals(VETOED, (long) registry.get("fastcgi.requests.vetoed").functionCounter().count());
            assertEquals(STATIC, (long) registry.get("fastcgi.requests.static").functionCounter().count());
            assertEquals(0, gauge(registry, "fastcgi.connections", backend, "active"));
            assertEquals(0, registry.get("fastcgi.connections.waiting").tag("backend", backend).gauge().value());
            assertEquals(0, registry.get("fastcgi.backend.up").tag("backend", backend).gauge().value(),
                    "refused connections mark the backend down");

            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("io.fastcgibridge:type=Backend,application=ROOT,servlet=fastcgi,address="
                    + ObjectName.quote(backend));
            assertEquals(5L, jmx.getAttribute(name, "CompletedRequests"));
            assertEquals(4L, jmx.getAttribute(name, "FailedRequests"));
            assertEquals(3L, jmx.getAttribute(name, "VetoedRequests"));
            assertEquals(2L, jmx.getAttribute(name, "StaticRequests"));
            TabularData failures = (TabularData) jmx.getAttribute(name, "Failures");
            CompositeData refused = failures.get(new Object[] {"CONNECT_REFUSED"});
            assertEquals(4L, refused.get("value"));
            assertEquals(1, failures.size(), "only the codes that occurred");
            assertEquals(true, jmx.getAttribute(name, "Down"));
            jmx.invoke(name, "markUp", new Object[0], new String[0]);
            assertEquals(false, jmx.getAttribute(name, "Down"));
            assertEquals(1, registry.get("fastcgi.backend.up").tag("backend", backend).gauge().value());
        }
        assertTrue(registry.find("fastcgi.requests").meters().isEmpty(), "a stopped servlet's meters are removed");
    }

    private static FunctionTimer timer(SimpleMeterRegistry registry, String backend, String outcome, String status) {
        return registry.get("fastcgi.requests").tag("backend", backend).tag("outcome", outcome).tag("status", status)
                .functionTimer();
    }

    private static double counter(SimpleMeterRegistry registry, String name, String backend, String tag, String value) {
        var search = registry.get(name).tag("backend", backend);
        FunctionCounter counter = (tag == null ? search : search.tag(tag, value)).functionCounter();
        return counter.count();
    }

    private static double gauge(SimpleMeterRegistry registry, String name, String backend, String state) {
        Gauge gauge = registry.get(name).tag("backend", backend).tag("state", state).gauge();
        return gauge.value();
    }

    /** Counting happens as the request ends, which may be just after the client got its response. */
    private static void awaitCount(long expected, LongSupplier actual) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (actual.getAsLong() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, actual.getAsLong());
    }
}
