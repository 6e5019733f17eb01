package io.fastcgibridge.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CGI header block as bytes: where it ends, what becomes the status and headers, and which
 * blocks are refused (each refusal becomes a 502, as nginx's "upstream sent invalid header").
 */
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

    @Test
    void aBlockThatStartsWithAnEmptyLineHasNoHeadersAndTheRestIsTheBody() throws Exception {
        // What PHP-FPM sends for a script without headers when default_mimetype is empty.
        byte[] crlf = "\r\nbody\n\nmore".getBytes(StandardCharsets.US_ASCII);
        byte[] lf = "\nbody".getBytes(StandardCharsets.US_ASCII);

        assertEquals(2, CgiHeaders.endOf(crlf, 0, crlf.length));
        assertEquals(1, CgiHeaders.endOf(lf, 0, lf.length));
        ResponseHead head = CgiHeaders.parse(crlf, 2);
        assertEquals(200, head.status());
        assertEquals(0, head.headers().size());
    }

    @Test
    void anEmptyFirstLineIsFoundWhenItsLineFeedArrivesInTheNextPiece() {
        byte[] bytes = "\r\nbody".getBytes(StandardCharsets.US_ASCII);

        assertEquals(-1, CgiHeaders.endOf(bytes, -2, 1));
        assertEquals(2, CgiHeaders.endOf(bytes, -1, bytes.length));
    }

    @ParameterizedTest
    @ValueSource(strings = {"100 Continue", "101 Switching Protocols", "103 Early Hints", "199"})
    void interimStatusesAreRefusedBecauseTheOneHeaderBlockIsFinal(String status) {
        ProtocolException refused = assertThrows(ProtocolException.class,
                () -> parse("Status: " + status + "\r\nContent-type: text/html\r\n\r\n"));

        assertTrue(refused.getMessage().contains("interim"), refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"600", "999 Custom"})
    void statusesPast599AreRefused(String status) {
        assertThrows(ProtocolException.class, () -> parse("Status: " + status + "\r\n\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bad Name: 1", "X-Trailing-Space : 1", "X-Ctl\u0001: 1", "X-Nul\u0000: 1",
            "X-Del\u007f: 1", "X(paren): 1", "X/slash: 1", "Caf\u00e9: 1", "X\tTab: 1"})
    void headerNamesThatAreNotTokensAreRefused(String line) {
        ProtocolException refused = assertThrows(ProtocolException.class, () -> parse(line + "\r\n\r\n"));

        assertTrue(refused.getMessage().contains("header name"), refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-A: a\u0001b", "X-A: a\rb", "X-A: a\u0000", "X-A: \u001fedge", "X-A: edge\u000b",
            "X-A: del\u007f", "X-A: a\r\r"})
    void headerValuesWithControlCharactersAreRefused(String line) {
        ProtocolException refused = assertThrows(ProtocolException.class, () -> parse(line + "\n\n"));

        assertTrue(refused.getMessage().contains("control character"), refused.getMessage());
    }

    @Test
    void aFoldedLineIsRefused() {
        assertThrows(ProtocolException.class, () -> parse("X-A: one\r\n two\r\n\r\n"));
        assertThrows(ProtocolException.class, () -> parse(" X-A: leading space\r\n\r\n"));
    }

    @Test
    void everyTokenCharacterTabsInsideValuesAndLatin1TextAreAccepted() throws Exception {
        ResponseHead head = parse("X!#$%&'*+-.^_`|~09az: a\tb\r\nX-Latin: caf\u00e9\r\nX-Empty:\r\n\r\n");

        assertEquals(List.of(new HttpHeaders.Field("X!#$%&'*+-.^_`|~09az", "a\tb"),
                new HttpHeaders.Field("X-Latin", "caf\u00e9"), new HttpHeaders.Field("X-Empty", "")),
                head.headers().fields());
    }
}
