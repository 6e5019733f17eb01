package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fastcgibridge.launcher.front.FrontSettings;
import io.fastcgibridge.launcher.front.TrustedProxies;
import io.fastcgibridge.servlet.BridgeConfig;
import io.fastcgibridge.servlet.BridgeOption;
import io.fastcgibridge.testing.CgiEnv;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code --trusted-proxy} with an IPv6 proxy: the launcher's Tomcat on ::1, the proxy given as a block. */
@ExtendWith(PhpFpmExtension.class)
@Timeout(60)
class TrustedProxyTest {

    private static Map<String, String> envThrough(PhpFpm fpm, String trusted) throws Exception {
        BridgeConfig config = BridgeConfig.from(option -> option == BridgeOption.DOCROOT
                ? List.of(fpm.documentRoot().toString())
                : option == BridgeOption.FPM ? List.of(fpm.unixAddress()) : List.of());
        FrontSettings front = new FrontSettings(TrustedProxies.parse(List.of(trusted)), Optional.empty(), false, false);
        EmbeddedTomcat tomcat = EmbeddedTomcat.start("::1", 0, config, HttpLimits.defaults(), front,
                Duration.ofSeconds(2), Map.of());
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://[::1]:" + tomcat.port() + "/env.php"))
                    .header("X-Forwarded-For", "2001:db8::7, 192.0.2.1")
                    .header("X-Forwarded-Proto", "https")
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return CgiEnv.parse(response.body());
        } finally {
            tomcat.stop();
        }
    }

    @Test
    void anIpv6ProxyInTheTrustedBlockGivesTheRightMostUntrustedAddress(PhpFpm fpm) throws Exception {
        Map<String, String> env = envThrough(fpm, "::/127");

        assertEquals("192.0.2.1", env.get("REMOTE_ADDR"));
        assertEquals("on", env.get("HTTPS"));
        assertEquals("https", env.get("REQUEST_SCHEME"));
        assertEquals("443", env.get("SERVER_PORT"));
    }

    @Test
    void anIpv6PeerOutsideTheTrustedBlockIsTheClient(PhpFpm fpm) throws Exception {
        Map<String, String> env = envThrough(fpm, "2001:db8::/32");

        assertEquals("0:0:0:0:0:0:0:1", env.get("REMOTE_ADDR"));
        assertFalse(env.containsKey("HTTPS"));
        assertEquals("2001:db8::7, 192.0.2.1", env.get("HTTP_X_FORWARDED_FOR"));
    }
}
