package io.fastcgibridge.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.client.FastCgiException.Code;
import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What real PHP sends as its CGI head and the front must not pass on: an interim (1xx) status as
 * the final answer, header names and values that are not valid HTTP. Each is a 502 (nginx:
 * "upstream sent invalid header"). A head that is only the empty line is a 200 without headers.
 */
@ExtendWith(PhpFpmExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResponseHeadRulesTest {

    private static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/1\\.1 (\\d{3})");

    private PhpFpm fpm;
    private FastCgiClient client;
    private BridgeServer bridge;

    @BeforeAll
    void start(PhpFpm fpm) {
        this.fpm = fpm;
        client = new FastCgiClient(ClientSettings.forBackends(fpm.unixAddress()));
        bridge = BridgeServer.start(fpm, Map.of());
    }

    @AfterAll
    void stop() {
        bridge.close();
        client.close();
    }

    private FastCgiResponse call(String oddCase) throws Exception {
        return client.execute(FastCgiRequest.get(fpm.script("odd-heads.php")).withUri("/odd-heads.php?case=" + oddCase));
    }

    @ParameterizedTest
    @ValueSource(strings = {"early-hints", "continue", "switching", "space-in-name", "control-in-name",
            "control-in-value"})
    void theClientRefusesTheHeadAsAProtocolErrorNamingTheBackend(String oddCase) {
        FastCgiException refused = assertThrows(FastCgiException.class, () -> call(oddCase));

        assertEquals(Code.PROTOCOL_ERROR, refused.code());
        assertTrue(refused.getMessage().startsWith(fpm.unixAddress() + " sent bad CGI headers: "), refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"early-hints", "continue", "switching", "space-in-name", "control-in-name",
            "control-in-value"})
    void theFrontAnswers502(String oddCase) throws Exception {
        String response = bridge.raw("GET /odd-heads.php?case=" + oddCase + " HTTP/1.1\r\nHost: x", new byte[0]);

        assertEquals(List.of(502), statuses(response), response);
        assertFalse(response.contains("sent as the final answer") || response.contains("forwarded as it is"), response);
    }

    @Test
    void afterAnInterimStatusTheNextRequestOnTheSameConnectionGetsItsOwnAnswer() throws Exception {
        String both = exchangeOnOneConnection(
                "GET /odd-heads.php?case=early-hints HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /greeter.php HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        assertEquals(List.of(502, 200), statuses(both), both);
        assertTrue(both.indexOf("Hello World") > both.lastIndexOf("HTTP/1.1 200"), both);
    }

    @Test
    void aHeadThatIsOnlyTheEmptyLineIsA200WithoutHeadersAndTheRestIsTheBody() throws Exception {
        FastCgiResponse response = call("no-headers");
        assertEquals(200, response.status());
        assertEquals(0, response.headers().size(), response.headers().toString());
        assertEquals("no header at all\r\n\r\nX-Not-A-Header: body text", response.bodyText());

        String raw = bridge.raw("GET /odd-heads.php?case=no-headers HTTP/1.1\r\nHost: x", new byte[0]);
        assertEquals(List.of(200), statuses(raw), raw);
        assertTrue(raw.contains("no header at all\r\n\r\nX-Not-A-Header: body text"), raw);
    }

    /** Sends the requests back to back on one connection and reads until the server closes it. */
    private String exchangeOnOneConnection(String... requests) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), bridge.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            for (String request : requests) {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static List<Integer> statuses(String response) {
        List<Integer> statuses = new ArrayList<>();
        Matcher matcher = STATUS_LINE.matcher(response);
        while (matcher.find()) {
            statuses.add(Integer.parseInt(matcher.group(1)));
        }
        return statuses;
    }
}
