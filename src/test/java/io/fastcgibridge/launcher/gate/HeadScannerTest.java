package io.fastcgibridge.launcher.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Request heads as clients send them, fed to {@link HeadScanner} whole and cut at every point and
 * every pair of points: the end is found at the same byte every time, and never where there is none.
 */
class HeadScannerTest {

    /** A head, the bytes that follow it in the same packets, and where the head ends. */
    private record Fixture(String head, String after) {
        byte[] bytes() {
            return (head + after).getBytes(StandardCharsets.ISO_8859_1);
        }

        int end() {
            return head.length();
        }
    }

    private static final Map<String, Fixture> COMPLETE = Map.of(
            "a browser's GET with a body's start behind it", new Fixture(
                    "GET /index.php?a[]=1 HTTP/1.1\r\nHost: example.org\r\nCookie: a=b\r\n\r\n", "POST / HTTP/1.1"),
            "bare LF line ends", new Fixture("GET / HTTP/1.1\nHost: x\n\n", "body"),
            "empty lines before the request line", new Fixture("\r\n\r\n\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", ""),
            "HTTP/0.9: a request line alone", new Fixture("GET /index.html\r\n", "more"),
            "an h2c prior-knowledge preface", new Fixture("PRI * HTTP/2.0\r\n\r\n", "SM\r\n\r\n\0\0\0\4"),
            "a CR inside a header value", new Fixture("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", ""),
            "a folded header line", new Fixture("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n", "x"),
            "HTTP/ after a false start (HHTTP/)", new Fixture("GET /x HHTTP/1.1\r\nHost: x\r\n\r\n", ""),
            "a header line that starts with CR but goes on", new Fixture("GET / HTTP/1.1\r\n\rX: y\r\n\r\n", ""));

    private static final Map<String, Boolean> INCOMPLETE_IN_REQUEST_LINE = Map.of(
            "nothing yet", true,
            "\r\n", true,
            "GET /very/long/uri", true,
            "GET / HTTP/1.1\r\nHost: x\r\n", false,
            "GET / HTTP/1.1\r\nHost: x\r\n\r", false,
            "GET / HTTP/1.1\r\nHost: x\r\n\rX", false);

    @Test
    void theEndIsFoundWhereverThePiecesAreCut() {
        COMPLETE.forEach((name, fixture) -> {
            byte[] bytes = fixture.bytes();
            assertEquals(fixture.end(), endWhenFedInPieces(bytes), name);
            for (int cut = 0; cut <= bytes.length; cut++) {
                assertEquals(fixture.end(), endWhenFedInPieces(bytes, cut), name + ", cut at " + cut);
                for (int second = cut; second <= bytes.length; second++) {
                    assertEquals(fixture.end(), endWhenFedInPieces(bytes, cut, second),
                            name + ", cut at " + cut + " and " + second);
                }
            }
        });
    }

    @Test
    void aHeadWithoutItsEmptyLineIsNeverComplete() {
        INCOMPLETE_IN_REQUEST_LINE.forEach((text, inRequestLine) -> {
            byte[] bytes = text.equals("nothing yet") ? new byte[0] : text.getBytes(StandardCharsets.ISO_8859_1);
            for (int cut = 0; cut <= bytes.length; cut++) {
                HeadScanner scanner = new HeadScanner();
                assertEquals(-1, scanner.scan(bytes, 0, cut), text);
                assertEquals(-1, scanner.scan(bytes, cut, bytes.length), text);
                assertFalse(scanner.complete(), text);
                assertEquals(inRequestLine, scanner.inRequestLine(), text);
            }
        });
    }

    @Test
    void aHeadEndedByteByByteSaysSo() {
        byte[] bytes = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        HeadScanner scanner = new HeadScanner();
        for (int i = 0; i < bytes.length - 1; i++) {
            assertEquals(-1, scanner.scan(bytes, i, i + 1));
        }
        assertEquals(bytes.length, scanner.scan(bytes, bytes.length - 1, bytes.length));
        assertTrue(scanner.complete());
        assertFalse(scanner.inRequestLine());
    }

    /** Feeds {@code bytes} cut at {@code cuts}; returns the end the scanner found, as an index into {@code bytes}. */
    private static int endWhenFedInPieces(byte[] bytes, int... cuts) {
        HeadScanner scanner = new HeadScanner();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : bytes.length;
            int end = scanner.scan(bytes, from, to);
            if (end >= 0) {
                assertTrue(scanner.complete());
                return end;
            }
            from = to;
        }
        assertFalse(scanner.complete());
        return -1;
    }
}
