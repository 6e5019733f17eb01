package io.fastcgibridge.monitor;

import io.fastcgibridge.servlet.RequestRecorder;
import io.fastcgibridge.servlet.ThreadNames;
import io.fastcgibridge.servlet.Worker;
import jakarta.servlet.ServletContext;

/**
 * A servlet's monitoring from start to stop: its requests counted, its backends in JMX, its meters
 * in the application's own Micrometer registry when CDI produces one. Micrometer is optional: its
 * classes are touched only once {@link #micrometerPresent} said they are there.
 */
public final class Monitoring implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Monitoring.class.getName());

    private final Worker worker;
    private final ServletCounters counters;
    private final BackendBeans beans;
    private final AutoCloseable cdiMeters;

    private Monitoring(Worker worker, ServletCounters counters, BackendBeans beans, AutoCloseable cdiMeters) {
        this.worker = worker;
        this.counters = counters;
        this.beans = beans;
        this.cdiMeters = cdiMeters;
    }

    /** Starts counting {@code worker}'s requests and shows them; on the thread starting the servlet. */
    public static Monitoring start(Worker worker, ServletContext context) {
        ServletCounters counters = new ServletCounters(ThreadNames.of(context), worker);
        worker.recordTo(counters);
        BackendBeans beans = BackendBeans.register(counters);
        LiveServlets.started(counters);
        AutoCloseable cdiMeters = () -> { };
        if (micrometerPresent() && cdiPresent()) {
            try {
                cdiMeters = io.fastcgibridge.monitor.micrometer.CdiRegistries.bind(counters, context);
            } catch (RuntimeException | LinkageError e) {
                LOG.log(System.Logger.Level.WARNING, "FCGI-0802 {0}: cannot bind the meters to the"
                        + " application''s MeterRegistry: {1}", worker.name(), String.valueOf(e));
            }
        }
        return new Monitoring(worker, counters, beans, cdiMeters);
    }

    /** The counters, for tests and the launcher. */
    public ServletCounters counters() {
        return counters;
    }

    /** Stops showing the servlet: MBeans unregistered, meters removed. */
    @Override
    public void close() {
        worker.recordTo(RequestRecorder.NONE);
        LiveServlets.stopped(counters);
        beans.close();
        try {
            cdiMeters.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "FCGI-0803 {0}: cannot remove the meters: {1}", worker.name(),
                    String.valueOf(e));
        }
    }

    /** Whether Micrometer's core is visible to the bridge's class loader. */
    static boolean micrometerPresent() {
        return present("io.micrometer.core.instrument.MeterRegistry");
    }

    private static boolean cdiPresent() {
        return present("jakarta.enterprise.inject.spi.CDI");
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, Monitoring.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
