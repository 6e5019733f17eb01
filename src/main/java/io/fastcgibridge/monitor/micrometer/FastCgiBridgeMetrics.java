package io.fastcgibridge.monitor.micrometer;

import io.fastcgibridge.monitor.LiveServlets;
import io.fastcgibridge.monitor.ServletCounters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Binds the meters of every bridge servlet of this application, those running and those that
 * start later, to a registry; a servlet's meters leave the registry when it stops.
 *
 * <pre>{@code
 * new FastCgiBridgeMetrics().bindTo(registry);
 * }</pre>
 */
public final class FastCgiBridgeMetrics implements MeterBinder, AutoCloseable {

    private final Map<MeterRegistry, Following> bound = new ConcurrentHashMap<>();

    @Override
    public void bindTo(MeterRegistry registry) {
        Following following = new Following(registry);
        if (bound.putIfAbsent(registry, following) == null) {
            LiveServlets.follow(following);
        }
    }

    /** Stops following servlets and removes their meters from every registry bound. */
    @Override
    public void close() {
        bound.values().forEach(Following::close);
        bound.clear();
    }

    /** One registry following the servlets. */
    private static final class Following implements LiveServlets.Listener {
        private final MeterRegistry registry;
        private final Map<ServletCounters, ServletMeters> meters = new ConcurrentHashMap<>();

        Following(MeterRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void started(ServletCounters servlet) {
            meters.computeIfAbsent(servlet, s -> ServletMeters.bind(s, registry));
        }

        @Override
        public void stopped(ServletCounters servlet) {
            ServletMeters gone = meters.remove(servlet);
            if (gone != null) {
                gone.remove();
            }
        }

        void close() {
            LiveServlets.unfollow(this);
            meters.values().forEach(ServletMeters::remove);
            meters.clear();
        }
    }
}
