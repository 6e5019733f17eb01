package io.fastcgibridge.monitor;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers one {@link BackendMXBean} per backend of a servlet in the platform MBean server, and
 * unregisters them when the servlet stops, so that a redeployed application leaves none behind.
 */
final class BackendBeans implements AutoCloseable {

    /** The JMX domain of the bridge's MBeans. */
    static final String DOMAIN = "io.fastcgibridge";

    private static final System.Logger LOG = System.getLogger(BackendBeans.class.getName());

    private final MBeanServer server;
    private final List<ObjectName> registered = new ArrayList<>();

    private BackendBeans(MBeanServer server) {
        this.server = server;
    }

    /** Registers the MBeans of {@code servlet}'s backends; a failure is logged, never fatal. */
    static BackendBeans register(ServletCounters servlet) {
        BackendBeans beans = new BackendBeans(ManagementFactory.getPlatformMBeanServer());
        for (BackendCounters backend : servlet.backends()) {
            ObjectName name = null;
            try {
                name = name(servlet.application(), servlet.servlet(), backend.backend().toString());
                beans.server.registerMBean(new BackendView(servlet, backend), name);
                beans.registered.add(name);
            } catch (JMException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "FCGI-0800 cannot register the MBean {0} of {1}: {2}",
                        name, servlet.servlet(), String.valueOf(e));
            }
        }
        return beans;
    }

    /**
     * {@code io.fastcgibridge:type=Backend,application=ROOT,servlet=fastcgi,address="unix:///run/php/fpm.sock"}:
     * the address always quoted (it holds {@code :}), the servlet's name quoted when it must be.
     */
    static ObjectName name(String application, String servlet, String address) throws JMException {
        return new ObjectName(DOMAIN + ":type=Backend,application=" + value(application) + ",servlet="
                + value(servlet) + ",address=" + ObjectName.quote(address));
    }

    private static String value(String text) {
        return text.chars().anyMatch(c -> ",=:\"*?\n".indexOf(c) >= 0) ? ObjectName.quote(text) : text;
    }

    @Override
    public void close() {
        for (ObjectName name : registered) {
            try {
                server.unregisterMBean(name);
            } catch (JMException e) {
                LOG.log(System.Logger.Level.WARNING, "FCGI-0801 cannot unregister the MBean {0}: {1}", name,
                        String.valueOf(e));
            }
        }
        registered.clear();
    }
}
