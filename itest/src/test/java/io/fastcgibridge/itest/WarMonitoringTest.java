package io.fastcgibridge.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmSettings;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Monitoring in a WAR on Tomcat: the backend's MBean is in the platform MBean server (what JConsole
 * and VisualVM show), and with the application's own Micrometer registry produced by CDI, the
 * bridge's meters are bound to it; both count exactly the requests sent.
 */
@ExtendWith(ArquillianExtension.class)
@Timeout(60)
class WarMonitoringTest {

    private static final String WAR_CLASSES = "io/fastcgibridge/itest/war/";
    private static final int REQUESTS = 3;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static PhpFpm fpm;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive war() throws IOException {
        fpm = PhpFpm.start(PhpFpmSettings.defaults());
        List<File> jars = ApplicationWars.warLibraries();
        assertTrue(jars.stream().anyMatch(jar -> jar.getName().startsWith("micrometer-core-")),
                "Micrometer is not in the WAR's libraries: " + jars);
        return ApplicationWars.cdiArchive("monitored.war", webXml(), WAR_CLASSES,
                List.of("MeterRegistryProducer", "MetersServlet"), jars);
    }

    private static String webXml() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <listener>
                    <listener-class>org.jboss.weld.environment.servlet.Listener</listener-class>
                  </listener>
                  <listener>
                    <listener-class>io.fastcgibridge.integration.BridgeContextListener</listener-class>
                  </listener>
                  <servlet>
                    <servlet-name>php</servlet-name>
                    <servlet-class>io.fastcgibridge.servlet.FastCgiServlet</servlet-class>
                    <init-param><param-name>docroot</param-name><param-value>%s</param-value></init-param>
                    <init-param><param-name>fpm</param-name><param-value>%s</param-value></init-param>
                    <init-param><param-name>max-connections</param-name><param-value>4</param-value></init-param>
                    <load-on-startup>1</load-on-startup>
                    <async-supported>true</async-supported>
                  </servlet>
                  <servlet-mapping>
                    <servlet-name>php</servlet-name>
                    <url-pattern>/</url-pattern>
                  </servlet-mapping>
                  <servlet>
                    <servlet-name>meters</servlet-name>
                    <servlet-class>io.fastcgibridge.itest.war.MetersServlet</servlet-class>
                  </servlet>
                  <servlet-mapping>
                    <servlet-name>meters</servlet-name>
                    <url-pattern>/_meters</url-pattern>
                  </servlet-mapping>
                  <!-- Test environment only: Jasper is not on this class path; a servlet named jsp replaces it. -->
                  <servlet>
                    <servlet-name>jsp</servlet-name>
                    <servlet-class>org.apache.catalina.servlets.DefaultServlet</servlet-class>
                  </servlet>
                </web-app>
                """.formatted(fpm.documentRoot(), fpm.unixAddress());
    }

    @AfterAll
    static void stopPhpFpm() {
        if (fpm != null) {
            fpm.stop();
        }
    }

    @Test
    void theBackendsMBeanAndTheApplicationsRegistryCountTheRequests() throws Exception {
        for (int i = 0; i < REQUESTS; i++) {
            assertEquals("Hello World", get("/greeter.php").body());
        }
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> beans = jmx.queryNames(new ObjectName("io.fastcgibridge:type=Backend,application=monitored,"
                + "servlet=php,address=" + ObjectName.quote(fpm.unixAddress())), null);
        assertEquals(1, beans.size(), "the backend's MBean: " + jmx.queryNames(new ObjectName("io.fastcgibridge:*"), null));
        ObjectName backend = beans.iterator().next();

        String expected = "fastcgi.requests backend=" + fpm.unixAddress()
                + ",outcome=completed,servlet=php,status=2xx COUNT=" + (double) REQUESTS;
        String meters = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            meters = get("/_meters").body();
            if (meters.lines().anyMatch(line -> line.startsWith(expected))
                    && Long.valueOf(REQUESTS).equals(jmx.getAttribute(backend, "CompletedRequests"))) {
                break;
            }
            Thread.sleep(50);
        }
        assertEquals((long) REQUESTS, jmx.getAttribute(backend, "CompletedRequests"));
        assertTrue(meters.lines().anyMatch(line -> line.startsWith(expected)), expected + " in\n" + meters);
        assertTrue(meters.lines().anyMatch(line -> line.startsWith("fastcgi.connections backend=")), meters);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
