package io.fastcgibridge.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A servlet's backend MBeans exist while it runs and are gone when it stops: redeploys leak none. */
@ExtendWith(PhpFpmExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackendBeansLifecycleTest {

    @Test
    void eachStartRegistersOneMBeanPerBackendAndEachStopRemovesThem(PhpFpm fpm) throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName backends = new ObjectName("io.fastcgibridge:type=Backend,*");
        int before = jmx.queryNames(backends, null).size();
        for (int deploy = 1; deploy <= 3; deploy++) {
            try (BridgeServer bridge = BridgeServer.start(fpm, Map.of())) {
                assertEquals(before + 1, jmx.queryNames(backends, null).size(), "deploy " + deploy);
                assertEquals(200, bridge.get("/greeter.php").statusCode());
            }
            assertEquals(before, jmx.queryNames(backends, null).size(), "after stop " + deploy);
        }
    }
}
