package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** What an HTTP client sees of PHP's response, and the request shapes it may send. */
@ExtendWith(PhpFpmExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResponseTranslationTest {

    private BridgeServer server;

    @BeforeAll
    void start(PhpFpm fpm) {
        server = BridgeServer.start(fpm, Map.of());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void repeatedHeadersKeepEveryValue() throws Exception {
        HttpResponse<String> response = server.get("/respond.php?case=repeat");

        assertEquals(List.of("one", "two"), response.headers().allValues("X-Multi"));
    }

    @Test
    void threeCookiesArriveAsThreeSetCookieLines() throws Exception {
        HttpResponse<String> response = server.get("/respond.php?case=cookies");

        List<String> cookies = response.headers().allValues("Set-Cookie");
        assertEquals(3, cookies.size(), cookies.toString());
        assertEquals("a=1", cookies.get(0));
        assertEquals("b=2; path=/x", cookies.get(1));
        assertEquals("c=3; HttpOnly", cookies.get(2));
    }

    @Test
    void httpResponseCodeSetsTheStatus() throws Exception {
        HttpResponse<String> response = server.get("/respond.php?case=teapot");

        assertEquals(418, response.statusCode());
        assertEquals("short and stout", response.body());
    }

    @Test
    void aLocationHeaderAloneRedirectsWith302() throws Exception {
        HttpResponse<String> response = server.get("/respond.php?case=location");

        assertEquals(302, response.statusCode());
        assertEquals("/next", response.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void aStatusHeaderSetsTheStatusAndIsNotForwardedAsAHeader() throws Exception {
        HttpResponse<String> response = server.get("/respond.php?case=gone");

        assertEquals(404, response.statusCode());
        assertEquals("gone", response.body());
        assertTrue(response.headers().firstValue("Status").isEmpty());
    }

    @Test
    void flushedOutputArrivesBeforeTheScriptEnds() throws Exception {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = server.http().send(server.request("/stream.php").build(),
                BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            byte[] first = body.readNBytes(5);
            long firstMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            String rest = new String(body.readAllBytes(), StandardCharsets.US_ASCII);
            long allMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertEquals("first", new String(first, StandardCharsets.US_ASCII));
            assertEquals("second", rest);
            assertTrue(firstMillis < 1500, "the first bytes took " + firstMillis + " ms, the script sleeps 2 s");
            assertTrue(allMillis >= 1900, "the whole response took only " + allMillis + " ms");
        }
    }

    @Test
    void headGetsTheHeadersOfGetWithoutABody() throws Exception {
        HttpResponse<String> response = server.http().send(server.request("/respond.php?case=repeat")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals(List.of("one", "two"), response.headers().allValues("X-Multi"));
        assertEquals("", response.body());
    }

    @Test
    void aChunkedRequestBodyReachesPhpWithItsExactLength() throws Exception {
        byte[] body = new byte[3 << 20];
        new Random(3).nextBytes(body);
        String response = chunked(server, "/dump.php", body);

        assertTrue(response.startsWith("HTTP/1.1 200"), response.lines().findFirst().orElse(""));
        assertTrue(response.contains("\"CONTENT_LENGTH\":\"" + body.length + "\""), response);
        assertTrue(response.contains("\"md5\":\"" + RequestForwardingTest.md5(body) + "\",\"length\":" + body.length),
                response);
    }

    @Test
    void expectContinueGetsA100AndThenTheAnswer() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /greeter.php HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded"
                    + "\r\nContent-Length: 10\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String interim = readHead(in);
            assertTrue(interim.startsWith("HTTP/1.1 100"), interim);

            out.write("who=Agent!".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String rest = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(rest.contains("HTTP/1.1 200"), rest);
            assertTrue(rest.endsWith("\r\n\r\nHello Agent!"), "sent whole, with a Content-Length: " + rest);
        }
    }

    @Test
    void aBodyOverTheMaximumIs413WithoutReachingPhp(PhpFpm fpm) throws Exception {
        try (BridgeServer small = BridgeServer.start(fpm, Map.of("max-body", "1k"))) {
            HttpResponse<String> declared = small.http().send(small.request("/dump.php")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2048])).build(), BodyHandlers.ofString());
            String chunkedResponse = chunked(small, "/dump.php", new byte[4096]);

            assertEquals(413, declared.statusCode());
            assertTrue(chunkedResponse.startsWith("HTTP/1.1 413"), chunkedResponse);
        }
    }

    /** Reads up to and including the empty line that ends a response head. */
    private static String readHead(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Sends {@code body} with Transfer-Encoding: chunked, in 1000-byte chunks. */
    private static String chunked(BridgeServer target, String path, byte[] body) throws Exception {
        StringBuilder chunks = new StringBuilder();
        for (int offset = 0; offset < body.length; offset += 1000) {
            int n = Math.min(1000, body.length - offset);
            chunks.append(Integer.toHexString(n)).append("\r\n")
                    .append(new String(body, offset, n, StandardCharsets.ISO_8859_1)).append("\r\n");
        }
        chunks.append("0\r\n\r\n");
        return target.raw("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream"
                + "\r\nTransfer-Encoding: chunked", chunks.toString().getBytes(StandardCharsets.ISO_8859_1));
    }
}
