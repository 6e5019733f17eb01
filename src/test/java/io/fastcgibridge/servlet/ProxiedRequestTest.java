package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fastcgibridge.testing.CgiEnv;
import io.fastcgibridge.testing.MappedTomcat;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.apache.catalina.valves.RemoteIpValve;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * In a WAR, the container's {@code RemoteIpValve} decides who the client is and how it came; the
 * servlet passes on what the valve left in the request: address, scheme, TLS and the port the
 * client addressed.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(60)
class ProxiedRequestTest {

    /** As an administrator writes it in server.xml: this machine's loopback is the TLS-terminating proxy. */
    private static RemoteIpValve containerValve(String internalProxies) {
        RemoteIpValve valve = new RemoteIpValve();
        valve.setInternalProxies(internalProxies);
        valve.setProtocolHeader("X-Forwarded-Proto");
        valve.setHostHeader("X-Forwarded-Host");
        return valve;
    }

    private static Map<String, String> env(MappedTomcat tomcat) throws Exception {
        HttpResponse<String> response = tomcat.http().send(HttpRequest.newBuilder(tomcat.uri("/app/env.php"))
                .header("X-Forwarded-For", "198.51.100.20, 203.0.113.9")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "shop.example")
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return CgiEnv.parse(response.body());
    }

    @Test
    void behindTheContainersTrustedProxyPhpSeesTheClientHttpsAndThePortItAddressed(PhpFpm fpm) throws Exception {
        try (MappedTomcat tomcat = MappedTomcat.servletBehind(containerValve("127\\.0\\.0\\.1"), fpm, "/app",
                Map.of("docroot", fpm.documentRoot().toString()), "/*")) {
            Map<String, String> env = env(tomcat);

            assertEquals("203.0.113.9", env.get("REMOTE_ADDR"));
            assertEquals("on", env.get("HTTPS"));
            assertEquals("https", env.get("REQUEST_SCHEME"));
            // The client addressed https://shop.example/, port 443, not the container's local port.
            assertEquals("443", env.get("SERVER_PORT"), env.toString());
            assertEquals("shop.example", env.get("SERVER_NAME"));
            assertFalse(env.containsKey("SSL_PROTOCOL"), "TLS was the proxy's, not this container's");
        }
    }

    @Test
    void fromAPeerTheValveDoesNotTrustTheHeadersAreOnlyHeaders(PhpFpm fpm) throws Exception {
        try (MappedTomcat tomcat = MappedTomcat.servletBehind(containerValve("10\\.0\\.0\\.1"), fpm, "/app",
                Map.of("docroot", fpm.documentRoot().toString()), "/*")) {
            Map<String, String> env = env(tomcat);

            assertEquals("127.0.0.1", env.get("REMOTE_ADDR"));
            assertFalse(env.containsKey("HTTPS"), env.toString());
            assertEquals("http", env.get("REQUEST_SCHEME"));
            assertEquals(Integer.toString(tomcat.uri("/").getPort()), env.get("SERVER_PORT"));
            assertEquals("198.51.100.20, 203.0.113.9", env.get("HTTP_X_FORWARDED_FOR"));
            assertEquals("https", env.get("HTTP_X_FORWARDED_PROTO"));
        }
    }
}
