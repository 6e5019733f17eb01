package io.fastcgibridge.monitor.micrometer;

import io.fastcgibridge.monitor.ServletCounters;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.ServletContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The application's own {@code MeterRegistry} beans, when its CDI container produces any: a
 * servlet's meters are bound to each of them for as long as it runs.
 */
public final class CdiRegistries {

    private static final System.Logger LOG = System.getLogger(CdiRegistries.class.getName());

    private CdiRegistries() {
    }

    /** Binds {@code servlet}'s meters to every {@code MeterRegistry} bean; closing removes them. */
    public static AutoCloseable bind(ServletCounters servlet, ServletContext context) {
        BeanManager beans = beanManager(context);
        if (beans == null) {
            return () -> { };
        }
        Instance<MeterRegistry> registries = beans.createInstance().select(MeterRegistry.class);
        if (registries.isUnsatisfied()) {
            return () -> { };
        }
        List<ServletMeters> bound = new ArrayList<>();
        for (MeterRegistry registry : registries) {
            bound.add(ServletMeters.bind(servlet, registry));
        }
        LOG.log(System.Logger.Level.INFO, "FCGI-0804 {0}: meters bound to {1} MeterRegistry bean(s) of the"
                + " application", servlet.servlet(), bound.size());
        return () -> bound.forEach(ServletMeters::remove);
    }

    private static BeanManager beanManager(ServletContext context) {
        Object attribute = context == null ? null : context.getAttribute(BeanManager.class.getName());
        if (attribute instanceof BeanManager beans) {
            return beans;
        }
        try {
            return CDI.current().getBeanManager();
        } catch (IllegalStateException e) {
            return null;
        }
    }
}
