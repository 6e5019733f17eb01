package io.fastcgibridge.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fastcgibridge.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CgiHeadersTest {

    private static ResponseHead parse(String block) throws ProtocolException {
        byte[] bytes = block.getBytes(StandardCharsets.ISO_8859_1);
        int end = CgiHeaders.endOf(bytes, 0, bytes.length);
        return CgiHeaders.parse(bytes, end);
    }

    @Test
    void theEndOfTheBlockIsFoundWithCrLfOrBareLf() {
        byte[] crlf = "A: 1\r\nB: 2\r\n\r\nbody".getBytes(StandardCharsets.US_ASCII);
        byte[] lf = "A: 1\n\nbody".getBytes(StandardCharsets.US_ASCII);
        byte[] open = "A: 1\r\nB: 2\r\n".getBytes(StandardCharsets.US_ASCII);

        assertEquals(14, CgiHeaders.endOf(crlf, 0, crlf.length));
        assertEquals(6, CgiHeaders.endOf(lf, 0, lf.length));
        assertEquals(-1, CgiHeaders.endOf(open, 0, open.length));
    }

    @Test
    void withoutStatusItIs200() throws Exception {
        ResponseHead head = parse("Content-Type: text/html\r\n\r\n");

        assertEquals(200, head.status());
        assertEquals("OK", head.reason());
        assertEquals("text/html", head.headers().first("content-type").orElseThrow());
    }

    @Test
    void aStatusHeaderBecomesTheStatusLineAndLeavesTheHeaders() throws Exception {
        ResponseHead head = parse("Status: 404 Gone Fishing\r\nX-A: 1\r\n\r\n");

        assertEquals(404, head.status());
        assertEquals("Gone Fishing", head.reason());
        assertEquals(List.of(new HttpHeaders.Field("X-A", "1")), head.headers().fields());
    }

    @Test
    void aStatusWithoutReasonGetsTheUsualOne() throws Exception {
        assertEquals("I'm a teapot", parse("Status: 418\n\n").reason());
    }

    @Test
    void aLocationWithoutStatusIsA302AndWithStatusKeepsIt() throws Exception {
        assertEquals(302, parse("Location: /next\r\n\r\n").status());
        assertEquals(301, parse("Status: 301\r\nLocation: /next\r\n\r\n").status());
    }

    @Test
    void repeatedHeadersKeepEveryValueInOrder() throws Exception {
        ResponseHead head = parse("Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nset-cookie: c=3\r\n\r\n");

        assertEquals(List.of("a=1", "b=2", "c=3"), head.headers().all("Set-Cookie"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"no colon here\r\n\r\n", ": no name\r\n\r\n", "Status: abc\r\n\r\n",
            "Status: 20\r\n\r\n", "Status: 2000 Odd\r\n\r\n", "Status: 099 Low\r\n\r\n"})
    void malformedHeadersAreAProtocolError(String block) {
        assertThrows(ProtocolException.class, () -> parse(block));
    }
}
