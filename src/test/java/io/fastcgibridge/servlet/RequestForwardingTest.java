package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** What PHP sees of a request that came through the bridge: superglobals and CGI params. */
@ExtendWith(PhpFpmExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestForwardingTest {

    private PhpFpm fpm;
    private BridgeServer server;

    @BeforeAll
    void start(PhpFpm fpm) {
        this.fpm = fpm;
        server = BridgeServer.start(fpm, Map.of());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** The string value of {@code "key":"value"} in PHP's JSON output, unescaped enough for these tests. */
    private static String json(String body, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":(\"((?:[^\"\\\\]|\\\\.)*)\"|-?\\d+|null)").matcher(body);
        if (!m.find()) {
            return null;
        }
        String value = m.group(2) != null ? m.group(2) : m.group(1);
        return value.replace("\\/", "/").replace("\\\"", "\"");
    }

    @Test
    void getAndPostFieldsCookiesAndRawInputReachPhp() throws Exception {
        HttpResponse<String> response = server.http().send(server.request("/dump.php?q=search+term&n=1")
                .header("Cookie", "session=abc; theme=dark")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("who=PHP&list%5B%5D=a&list%5B%5D=b")).build(), BodyHandlers.ofString());
        String body = response.body();

        assertEquals(200, response.statusCode(), body);
        assertTrue(body.contains("\"get\":{\"q\":\"search term\",\"n\":\"1\"}"), body);
        assertTrue(body.contains("\"post\":{\"who\":\"PHP\",\"list\":[\"a\",\"b\"]}"), body);
        assertTrue(body.contains("\"cookie\":{\"session\":\"abc\",\"theme\":\"dark\"}"), body);
        assertEquals(md5("who=PHP&list%5B%5D=a&list%5B%5D=b".getBytes(StandardCharsets.US_ASCII)), json(body, "md5"));
    }

    @Test
    void rawJsonBodyReachesPhpInputIntact() throws Exception {
        String payload = "{\"name\":\"ünïcode ✓\",\"n\":[1,2,3]}";
        HttpResponse<String> response = server.http().send(server.request("/dump.php")
                .header("Content-Type", "application/json")
                .PUT(BodyPublishers.ofString(payload)).build(), BodyHandlers.ofString());

        assertEquals(md5(payload.getBytes(StandardCharsets.UTF_8)), json(response.body(), "md5"));
        assertEquals("PUT", json(response.body(), "REQUEST_METHOD"));
        assertEquals("application/json", json(response.body(), "CONTENT_TYPE"));
        assertEquals(Integer.toString(payload.getBytes(StandardCharsets.UTF_8).length),
                json(response.body(), "CONTENT_LENGTH"));
    }

    @Test
    void aTwentyMebibyteMultipartUploadReachesFilesIntact() throws Exception {
        byte[] file = new byte[20 << 20];
        new Random(20).nextBytes(file);
        String boundary = "----bridge" + System.nanoTime();
        ByteArrayOutputStream multipart = new ByteArrayOutputStream();
        multipart.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nholiday\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"beach.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        multipart.write(file);
        multipart.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));

        HttpResponse<String> response = server.http().send(server.request("/dump.php")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(BodyPublishers.ofByteArray(multipart.toByteArray())).build(), BodyHandlers.ofString());
        String body = response.body();

        assertEquals(200, response.statusCode(), body);
        assertTrue(body.contains("\"post\":{\"title\":\"holiday\"}"), body);
        assertTrue(body.contains("\"photo\":{\"name\":\"beach.bin\",\"size\":" + file.length + ",\"error\":0,\"md5\":\""
                + md5(file) + "\"}"), body);
    }

    @Test
    void everyCgiParamHasItsExpectedValueForAPathInfoAndQuery() throws Exception {
        HttpResponse<String> response = server.http().send(server.request("/dump.php/extra/path?a=1&b=%20two")
                .header("Authorization", "Basic dXNlcjpzZWNyZXQ=")
                .header("X-Custom", "custom value")
                .build(), BodyHandlers.ofString());
        String body = response.body();
        Path root = fpm.documentRoot().toRealPath();
        Map<String, String> expected = Map.ofEntries(
                Map.entry("GATEWAY_INTERFACE", "CGI/1.1"),
                Map.entry("SERVER_SOFTWARE", "fastcgi-bridge"),
                Map.entry("SERVER_PROTOCOL", "HTTP/1.1"),
                Map.entry("SERVER_NAME", "127.0.0.1"),
                Map.entry("SERVER_ADDR", "127.0.0.1"),
                Map.entry("SERVER_PORT", Integer.toString(server.port())),
                Map.entry("REMOTE_ADDR", "127.0.0.1"),
                Map.entry("REQUEST_METHOD", "GET"),
                Map.entry("REQUEST_SCHEME", "http"),
                Map.entry("REQUEST_URI", "/dump.php/extra/path?a=1&b=%20two"),
                Map.entry("DOCUMENT_URI", "/dump.php/extra/path"),
                Map.entry("DOCUMENT_ROOT", root.toString()),
                Map.entry("SCRIPT_FILENAME", root.resolve("dump.php").toString()),
                Map.entry("SCRIPT_NAME", "/dump.php"),
                Map.entry("PATH_INFO", "/extra/path"),
                Map.entry("PATH_TRANSLATED", root + "/extra/path"),
                Map.entry("QUERY_STRING", "a=1&b=%20two"),
                Map.entry("CONTENT_TYPE", ""),
                Map.entry("CONTENT_LENGTH", ""),
                Map.entry("REDIRECT_STATUS", "200"),
                Map.entry("HTTP_AUTHORIZATION", "Basic dXNlcjpzZWNyZXQ="),
                Map.entry("PHP_AUTH_USER", "user"),
                Map.entry("PHP_AUTH_PW", "secret"),
                Map.entry("HTTP_X_CUSTOM", "custom value"),
                Map.entry("PHP_SELF", "/dump.php/extra/path"));

        expected.forEach((key, value) -> assertEquals(value, json(body, key), key));
        assertTrue(json(body, "REMOTE_PORT").matches("\\d+"), body);
        assertEquals(null, json(body, "HTTPS"), "plain HTTP is not HTTPS");
        assertTrue(body.contains("\"get\":{\"a\":\"1\",\"b\":\" two\"}"), body);
    }

    @Test
    void phpArrayParametersWithRawBracketsReachPhp() throws Exception {
        String response = server.raw("GET /dump.php?tags[]=a&tags[]=b HTTP/1.1\r\nHost: localhost", new byte[0]);

        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        assertTrue(response.contains("\"get\":{\"tags\":[\"a\",\"b\"]}"), response);
    }

    @Test
    void repeatedHeadersAreJoinedAndCookiesWithSemicolons() throws Exception {
        String response = server.raw("GET /dump.php HTTP/1.1\r\nHost: localhost\r\nX-Trace: one\r\nX-Trace: two"
                + "\r\nCookie: a=1\r\nCookie: b=2", new byte[0]);

        assertEquals("one, two", json(response, "HTTP_X_TRACE"));
        assertEquals("a=1; b=2", json(response, "HTTP_COOKIE"));
        assertTrue(response.contains("\"cookie\":{\"a\":\"1\",\"b\":\"2\"}"), response);
    }

    @Test
    void nonAsciiPathsAndHeadersReachPhpAsTheirUtf8Bytes() throws Exception {
        String utf8Header = new String("Zo\u00eb".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        String response = server.raw("GET /dump.php/caf%C3%A9 HTTP/1.1\r\nHost: localhost\r\nX-Name: " + utf8Header,
                new byte[0]);

        assertEquals("/caf\\u00e9", json(response, "PATH_INFO"));
        assertEquals("Zo\\u00eb", json(response, "HTTP_X_NAME"));
        assertFalse(response.contains("\\ufffd"), response);
    }

    static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }
}
