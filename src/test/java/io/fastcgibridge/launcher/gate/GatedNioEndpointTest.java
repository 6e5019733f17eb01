package io.fastcgibridge.launcher.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http11.Http11NioProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tomcat behind the gate, with a servlet that echoes: what the gate read reaches the servlet
 * (bodies, pipelined requests), kept-alive requests go straight to Tomcat, a full Tomcat makes room
 * by closing its longest idle kept-alive connection, and a stop closes what the gate holds.
 */
@Timeout(60)
class GatedNioEndpointTest {

    @TempDir
    Path baseDir;
    private Tomcat tomcat;
    private GatedNioEndpoint endpoint;
    private int port;
    private final List<Socket> clients = new ArrayList<>();

    /** Echoes the method, the {@code X-N} header and the body. */
    private static final class Echo extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            byte[] echo = (request.getMethod() + " " + request.getHeader("X-N") + " " + body)
                    .getBytes(StandardCharsets.ISO_8859_1);
            response.setContentLength(echo.length);
            response.getOutputStream().write(echo);
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket client : clients) {
            client.close();
        }
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    @Test
    void whatTheGateReadReachesTheServletBodiesAndPipelinedRequestsIncluded() throws Exception {
        start(100);
        Socket client = connect();
        send(client, "POST / HTTP/1.1\r\nHost: x\r\nX-N: 1\r\nContent-Length: 5\r\n\r\nhello"
                + "GET / HTTP/1.1\r\nHost: x\r\nX-N: 2\r\n\r\n"
                + "POST / HTTP/1.1\r\nHost: x\r\nX-N: 3\r\nContent-Length: 11\r\n\r\nhello");
        assertEquals("POST 1 hello", readResponse(client));
        assertEquals("GET 2 ", readResponse(client));
        send(client, " world");
        assertEquals("POST 3 hello world", readResponse(client));
    }

    @Test
    void keptAliveRequestsGoStraightToTomcatNotThroughTheGate() throws Exception {
        start(100);
        Socket client = connect();
        for (int i = 1; i <= 3; i++) {
            send(client, "GET / HTTP/1.1\r\nHost: x\r\nX-N: " + i + "\r\n\r\n");
            assertEquals("GET " + i + " ", readResponse(client));
        }
        assertEquals(1, endpoint.gate().handedOver(), "a kept-alive request went through the gate");
    }

    @Test
    void aFullTomcatClosesItsLongestIdleKeptAliveConnectionForAVisitorWaitingInTheGate() throws Exception {
        start(2);
        Socket longestIdle = connect();
        send(longestIdle, "GET / HTTP/1.1\r\nHost: x\r\nX-N: 1\r\n\r\n");
        assertEquals("GET 1 ", readResponse(longestIdle));
        Socket idle = connect();
        send(idle, "GET / HTTP/1.1\r\nHost: x\r\nX-N: 2\r\n\r\n");
        assertEquals("GET 2 ", readResponse(idle));

        Socket visitor = connect();
        send(visitor, "GET / HTTP/1.1\r\nHost: x\r\nX-N: 3\r\n\r\n");
        assertEquals("GET 3 ", readResponse(visitor),
                "the visitor waited for an idle connection's keep-alive timeout");
        assertEquals(-1, longestIdle.getInputStream().read(), "the longest idle connection is closed");
        send(idle, "GET / HTTP/1.1\r\nHost: x\r\nX-N: 4\r\n\r\n");
        assertEquals("GET 4 ", readResponse(idle), "a younger idle connection was closed too");
    }

    @Test
    void stoppingClosesWhatTheGateHoldsAndDoesNotWaitForItsHeads() throws Exception {
        start(100);
        Socket halfSent = connect();
        send(halfSent, "GET / HTTP/1.1\r\nHost: x\r\n");
        awaitInGate();
        long stopping = System.nanoTime();
        tomcat.stop();
        tomcat.destroy();
        tomcat = null;
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
        assertTrue(stopMillis < 3_000, "stopping took " + stopMillis + " ms");
        assertEquals(-1, halfSent.getInputStream().read(), "the half-sent connection was left open");
    }

    private void start(int maxConnections) throws LifecycleException {
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        endpoint = new GatedNioEndpoint(new GateLimits(8 * 1024, Duration.ofSeconds(60), 100, 1 << 20));
        Connector connector = new Connector(new Http11NioProtocol(endpoint));
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxConnections", Integer.toString(maxConnections));
        // Tomcat's default: an idle kept-alive connection holds its place this long
        connector.setProperty("keepAliveTimeout", "20000");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", baseDir.toString());
        Tomcat.addServlet(context, "echo", new Echo());
        context.addServletMappingDecoded("/", "echo");
        tomcat.start();
        port = connector.getLocalPort();
    }

    private void awaitInGate() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (endpoint.gate().sending() == 0) {
            assertTrue(System.nanoTime() - deadline < 0, "the gate never took the connection");
            Thread.sleep(5);
        }
    }

    private Socket connect() throws IOException {
        Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
        client.setSoTimeout(5_000);
        clients.add(client);
        return client;
    }

    private static void send(Socket client, String text) throws IOException {
        client.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        client.getOutputStream().flush();
    }

    /** The body of the next response, which must be a 200 with a Content-Length. */
    private static String readResponse(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new AssertionError("the connection closed after: " + head);
                }
                head.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no response within 5 s", e);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("HTTP/1.1 200 "), text);
        int at = text.toLowerCase(java.util.Locale.ROOT).indexOf("content-length: ") + 16;
        int length = Integer.parseInt(text.substring(at, text.indexOf("\r\n", at)));
        return new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }
}
