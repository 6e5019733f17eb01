package io.fastcgibridge.monitor;

import io.fastcgibridge.servlet.RequestOutcome;
import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmSettings;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.management.ObjectName;

/**
 * Runs inside {@link WithoutMicrometerTest}'s class loader: one script through a real bridge and
 * PHP-FPM, then what the counters and JMX say.
 */
public final class ServeOnce implements Callable<String> {

    @Override
    public String call() throws Exception {
        // The JVM takes one URL stream handler factory: leave it to the test class loader's Tomcat.
        org.apache.catalina.webresources.TomcatURLStreamHandlerFactory.disable();
        try (PhpFpm fpm = PhpFpm.start(PhpFpmSettings.defaults().withMaxChildren(1));
                BridgeServer bridge = BridgeServer.start(fpm, Map.of())) {
            String body = bridge.get("/greeter.php").body();
            ServletCounters counters = LiveServlets.running().get(0);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (counters.backends().get(0).requests(RequestOutcome.COMPLETED) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            int beans = ManagementFactory.getPlatformMBeanServer()
                    .queryNames(new ObjectName("io.fastcgibridge:type=Backend,address="
                            + ObjectName.quote(fpm.unixAddress()) + ",*"), null).size();
            return body + " / completed " + counters.backends().get(0).requests(RequestOutcome.COMPLETED)
                    + " / MBean " + beans;
        }
    }
}
