package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Header sizes and counts through the launcher's Tomcat, both ways: {@code --max-headers} (64k by
 * default) is the one limit for a request head and for PHP's response headers, with a clean status
 * past it, never an empty reply; request headers as many as real sites send.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(60)
class HttpHeaderLimitsTest {

    @Test
    void fortyKilobytesOfResponseHeadersReachTheClient(PhpFpm fpm) throws IOException {
        try (BridgeServer bridge = BridgeServer.start(fpm, Map.of())) {
            String response = bridge.raw("GET /big-headers.php?lines=40 HTTP/1.1\r\nHost: x", new byte[0]);
            assertEquals(200, status(response), head(response));
            assertTrue(response.contains("\r\nX-Filler-0039: fff"), head(response));
            assertTrue(response.contains("headers sent"), "the body is missing");
        }
    }

    @Test
    void responseHeadersJustUnderMaxHeadersReachTheClientAndPastItGet502(PhpFpm fpm) throws IOException {
        try (BridgeServer bridge = BridgeServer.start(fpm, Map.of())) {
            // 64 lines of 1,000 bytes and PHP's own Content-type line: just under 64 KiB
            assertEquals(200, status(bridge.raw("GET /big-headers.php?lines=64 HTTP/1.1\r\nHost: x", new byte[0])));
            String over = bridge.raw("GET /big-headers.php?lines=66 HTTP/1.1\r\nHost: x", new byte[0]);
            assertEquals(502, status(over), "an empty reply or a cut response instead of 502: " + head(over));
        }
    }

    @Test
    void tomcatIsSizedToASmallerMaxHeadersToo(PhpFpm fpm) throws IOException {
        try (BridgeServer bridge = BridgeServer.start(fpm, Map.of("max-headers", "16k"))) {
            assertEquals(200, status(bridge.raw("GET /big-headers.php?lines=15 HTTP/1.1\r\nHost: x", new byte[0])));
            assertEquals(502, status(bridge.raw("GET /big-headers.php?lines=17 HTTP/1.1\r\nHost: x", new byte[0])));
            String cookie = "GET /dump-headers.php HTTP/1.1\r\nHost: x\r\nCookie: a=" + "c".repeat(12 * 1024);
            assertEquals(200, status(bridge.raw(cookie, new byte[0])));
            assertEquals(431, status(bridge.raw(cookie + "c".repeat(5 * 1024), new byte[0])));
        }
    }

    @Test
    void aTwentyKilobyteCookieReachesPhp(PhpFpm fpm) throws Exception {
        String value = "analytics=" + "x".repeat(20 * 1024);
        try (BridgeServer bridge = BridgeServer.start(fpm, Map.of())) {
            HttpResponse<String> response = bridge.http().send(bridge.request("/dump-headers.php")
                    .header("Cookie", value).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("\"HTTP_COOKIE\":\"" + value + "\""), "the cookie did not reach PHP whole");
        }
    }

    @Test
    void aHundredAndFiftyHeadersReachPhp(PhpFpm fpm) throws Exception {
        try (BridgeServer bridge = BridgeServer.start(fpm, Map.of())) {
            HttpRequest.Builder request = bridge.request("/dump-headers.php");
            for (int i = 1; i <= 150; i++) {
                request.header(String.format("X-Header-%03d", i), "value " + i);
            }
            HttpResponse<String> response = bridge.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            for (int i = 1; i <= 150; i++) {
                assertTrue(response.body().contains(String.format("\"HTTP_X_HEADER_%03d\":\"value %d\"", i, i)),
                        "header " + i);
            }
        }
    }

    @Test
    void pastTheLimitsARequestGetsACleanClientError(PhpFpm fpm) throws IOException {
        StringBuilder tooMany = new StringBuilder("GET /dump-headers.php HTTP/1.1\r\nHost: x");
        for (int i = 1; i <= HttpLimits.DEFAULT_MAX_HEADER_COUNT + 1; i++) {
            tooMany.append("\r\nX-H-").append(i).append(": 1");
        }
        try (BridgeServer bridge = BridgeServer.start(fpm, Map.of())) {
            String tooLarge = bridge.raw("GET / HTTP/1.1\r\nHost: x\r\nCookie: a=" + "c".repeat(64 * 1024), new byte[0]);
            assertEquals(431, status(tooLarge), head(tooLarge));
            String uriTooLong = bridge.raw("GET /" + "u".repeat(64 * 1024) + " HTTP/1.1\r\nHost: x", new byte[0]);
            assertEquals(414, status(uriTooLong), head(uriTooLong));
            assertEquals(400, status(bridge.raw(tooMany.toString(), new byte[0])));
        }
    }

    private static int status(String response) {
        assertTrue(response.startsWith("HTTP/1.1 "), "no HTTP response: '" + head(response) + "'");
        return Integer.parseInt(response.substring(9, 12));
    }

    private static String head(String response) {
        int end = response.indexOf("\r\n\r\n");
        String head = end < 0 ? response : response.substring(0, end);
        return head.length() > 600 ? head.substring(0, 600) + "..." : head;
    }
}
