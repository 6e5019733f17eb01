package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fastcgibridge.testing.CgiEnv;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import io.fastcgibridge.testing.ServeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code serve --trusted-proxy}: behind a listed proxy PHP sees the client and its scheme (WordPress
 * stops looping to https); from anyone else the forwarded headers are only headers.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(120)
class TrustedProxiesIT {

    private static final Path JAR = Path.of(System.getProperty("launcher.jar", "target/fastcgi-bridge.jar"));

    private static Map<String, String> envBehind(PhpFpm fpm, String... trusted) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--docroot", fpm.documentRoot().toString(),
                "--fpm", fpm.unixAddress(), "--port", "0"));
        for (String block : trusted) {
            args.addAll(List.of("--trusted-proxy", block));
        }
        try (ServeProcess serve = ServeProcess.start(JAR, List.of("-Xmx128m"), args)) {
            // As an ingress forwards it: a client that sent its own X-Forwarded-For, then two proxies.
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(serve.base() + "/env.php"))
                    .header("X-Forwarded-For", "198.51.100.66, 203.0.113.9, 10.1.2.3")
                    .header("X-Forwarded-Proto", "https")
                    .header("X-Forwarded-Host", "shop.example")
                    .header("X-Forwarded-Port", "443")
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body() + String.join("\n", serve.output()));
            return CgiEnv.parse(response.body());
        }
    }

    @Test
    void behindTrustedProxiesPhpSeesTheRightMostUntrustedAddressAndHttps(PhpFpm fpm) throws Exception {
        Map<String, String> env = envBehind(fpm, "127.0.0.1", "10.0.0.0/8");

        // 198.51.100.66 was written by the client itself: only what trusted proxies appended counts.
        assertEquals("203.0.113.9", env.get("REMOTE_ADDR"));
        assertEquals("on", env.get("HTTPS"));
        assertEquals("https", env.get("REQUEST_SCHEME"));
        assertEquals("443", env.get("SERVER_PORT"));
        assertEquals("shop.example", env.get("SERVER_NAME"));
    }

    @Test
    void fromAPeerThatIsNotListedTheHeadersReachPhpOnlyAsHeaders(PhpFpm fpm) throws Exception {
        Map<String, String> env = envBehind(fpm, "10.0.0.0/8");

        assertEquals("127.0.0.1", env.get("REMOTE_ADDR"));
        assertFalse(env.containsKey("HTTPS"), "HTTPS claimed by an untrusted peer");
        assertEquals("http", env.get("REQUEST_SCHEME"));
        assertEquals("198.51.100.66, 203.0.113.9, 10.1.2.3", env.get("HTTP_X_FORWARDED_FOR"));
        assertEquals("https", env.get("HTTP_X_FORWARDED_PROTO"));
    }
}
