package io.fastcgibridge.testing;

import io.fastcgibridge.integration.Dispatchers;
import io.fastcgibridge.event.EventDispatcher;
import io.fastcgibridge.launcher.EmbeddedTomcat;
import io.fastcgibridge.servlet.BridgeConfig;
import io.fastcgibridge.servlet.BridgeOption;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bridge as users run it, on embedded Tomcat at a free loopback port, serving a PHP-FPM's
 * document root through that PHP-FPM; with the HTTP helpers tests need.
 */
public final class BridgeServer implements AutoCloseable {

    private final EmbeddedTomcat tomcat;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    private BridgeServer(EmbeddedTomcat tomcat) {
        this.tomcat = tomcat;
    }

    /** Serves {@code fpm}'s document root through its Unix socket, with extra options by name. */
    public static BridgeServer start(PhpFpm fpm, Map<String, String> options) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        values.put(BridgeOption.DOCROOT.key(), List.of(fpm.documentRoot().toString()));
        values.put(BridgeOption.FPM.key(), List.of(fpm.unixAddress()));
        options.forEach((key, value) -> values.put(key, List.of(value)));
        return start(values);
    }

    /** Starts with the given option values, each possibly repeated. */
    public static BridgeServer start(Map<String, List<String>> values) {
        BridgeConfig config = BridgeConfig.from(option -> values.getOrDefault(option.key(), List.of()));
        try {
            return new BridgeServer(EmbeddedTomcat.start("127.0.0.1", 0, config, Duration.ofSeconds(2)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the bridge: " + e.getMessage(), e);
        }
    }

    /** The web application's event dispatcher: without CDI here, the fallback one with the built-in listeners. */
    public EventDispatcher events() {
        return Dispatchers.forContext(tomcat.servletContext());
    }

    public int port() {
        return tomcat.port();
    }

    /** {@code http://127.0.0.1:PORT} + path. */
    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    public HttpClient http() {
        return http;
    }

    /** A request builder for a path, with a generous timeout so a hang fails instead of stalling. */
    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30));
    }

    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(request(pathAndQuery).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Sends {@code head} (request line and headers, CRLF-separated, without the final empty line)
     * and {@code body} over a fresh socket with {@code Connection: close}, and returns the raw
     * response. For requests an HTTP client library would not send.
     */
    public String raw(String head, byte[] body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() {
        tomcat.stop();
    }
}
