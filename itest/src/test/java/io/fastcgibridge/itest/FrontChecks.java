package io.fastcgibridge.itest;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.CgiEnv;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * What a WAR facing clients gives them, as the README promises: behind the container's
 * {@code RemoteIpValve} PHP sees the client and its scheme, text is gzipped, and
 * {@code X-Accel-Redirect} sends a protected file. {@code base} is the server's root,
 * {@code http://127.0.0.1:PORT}; paths include the context.
 */
final class FrontChecks {

    /** A documentation address (RFC 5737), as a proxy would name the client. */
    static final String CLIENT = "203.0.113.7";
    private static final String GZIP = "gzip";

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    FrontChecks(String base) {
        this.base = base;
    }

    /** The page {@code /app/text.php} writes. */
    static String textPage() {
        StringBuilder page = new StringBuilder();
        for (int i = 1; i <= 100; i++) {
            page.append("line ").append(i).append(" of a page that compresses well\n");
        }
        return page.toString();
    }

    /** The static file {@code /app/notes.txt}. */
    static String notes() {
        try (InputStream in = FrontChecks.class.getResourceAsStream("/app/notes.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code server} (a path to {@code server.php}) tells PHP for a request that a proxy forwarded. */
    Map<String, String> serverSeenThroughProxy(String server) throws IOException, InterruptedException {
        HttpResponse<byte[]> answer = get(server, "X-Forwarded-For", CLIENT, "X-Forwarded-Proto", "https");
        assertEquals(200, answer.statusCode(), text(answer));
        return CgiEnv.parse(text(answer));
    }

    /**
     * The same request from the loopback address {@code peer} (the JDK's client cannot choose its
     * own address, so this one is written by hand, HTTP/1.0 for a body that simply ends).
     */
    Map<String, String> serverSeenThroughProxyFrom(InetAddress peer, String server) throws IOException {
        URI target = URI.create(base + server);
        try (Socket socket = new Socket(target.getHost(), target.getPort(), peer, 0)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET " + target.getRawPath() + " HTTP/1.0\r\nHost: " + target.getAuthority()
                    + "\r\nX-Forwarded-For: " + CLIENT + "\r\nX-Forwarded-Proto: https\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
            return CgiEnv.parse(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        }
    }

    /** {@code path}, asked with {@code Accept-Encoding: gzip}, comes gzipped and says so in {@code Vary}. */
    void gzipped(String path, String expected) throws IOException, InterruptedException {
        HttpResponse<byte[]> answer = get(path, "Accept-Encoding", GZIP);
        assertEquals(200, answer.statusCode(), text(answer));
        assertAll(path,
                () -> assertEquals(GZIP, answer.headers().firstValue("Content-Encoding").orElse(null), "encoding"),
                () -> assertTrue(varies(answer), "Vary: " + answer.headers().allValues("Vary")),
                () -> assertTrue(answer.body().length < expected.length() / 2, answer.body().length + " bytes"),
                () -> assertEquals(expected, gunzip(answer.body())));
    }

    /** {@code path}, asked with {@code Accept-Encoding: gzip}, comes as it is. */
    void notGzipped(String path, String expected) throws IOException, InterruptedException {
        HttpResponse<byte[]> answer = get(path, "Accept-Encoding", GZIP);
        assertEquals(200, answer.statusCode(), text(answer));
        assertAll(path,
                () -> assertTrue(answer.headers().firstValue("Content-Encoding").isEmpty(),
                        answer.headers().toString()),
                () -> assertEquals(expected, text(answer)));
    }

    /**
     * {@code script} hands {@code /protected/file.bin} to the front: the client gets the file with
     * PHP's {@code Content-Disposition} and never the header; asked directly, the file is 404.
     */
    void internalRedirect(String script, String direct) throws IOException, InterruptedException {
        HttpResponse<byte[]> download = get(script);
        assertEquals(200, download.statusCode(), text(download));
        assertAll(script,
                () -> assertArrayEquals(ApplicationWars.protectedFile(), download.body(), "the file's bytes"),
                () -> assertEquals("attachment; filename=\"report.bin\"",
                        download.headers().firstValue("Content-Disposition").orElse(null)),
                () -> assertTrue(download.headers().firstValue("X-Accel-Redirect").isEmpty(),
                        "the internal path reached the client"));
        HttpResponse<byte[]> asked = get(direct);
        assertEquals(404, asked.statusCode(), direct + " asked directly");
        assertNotEquals(ApplicationWars.protectedFile().length, asked.body().length, direct + " asked directly");
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static boolean varies(HttpResponse<?> answer) {
        return answer.headers().allValues("Vary").stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .anyMatch(name -> name.strip().equalsIgnoreCase("Accept-Encoding"));
    }

    private static String text(HttpResponse<byte[]> answer) {
        return new String(answer.body(), StandardCharsets.UTF_8);
    }

    private static String gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
