package io.fastcgibridge.client;

import io.fastcgibridge.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the CGI header block at the start of a responder's stdout (RFC 3875, section 6): header
 * lines ended by CRLF or LF, up to an empty line. {@code Status: 404 Gone} sets the status; a
 * {@code Location} without a {@code Status} means 302; otherwise 200. A block that is only the
 * empty line (PHP with an empty {@code default_mimetype}) has no headers.
 *
 * <p>What is forwarded must be valid HTTP (RFC 9110): a name is a token, a value holds no control
 * character but HTAB, a folded line is refused, and the status is final (200 to 599 or a 1xx is
 * refused, since a CGI response has exactly one header block). Anything else is a
 * {@link ProtocolException}, which the client answers with 502 as nginx does for "upstream sent
 * invalid header".
 */
final class CgiHeaders {

    private CgiHeaders() {
    }

    /**
     * Where the header block in {@code bytes[0..length)} ends (just past the empty line), or -1.
     * Searching starts at {@code from} so that a block arriving in pieces is scanned once.
     */
    static int endOf(byte[] bytes, int from, int length) {
        if (from <= 0) {
            // An empty first line ends a block with no header at all.
            if (length >= 1 && bytes[0] == '\n') {
                return 1;
            }
            if (length >= 2 && bytes[0] == '\r' && bytes[1] == '\n') {
                return 2;
            }
        }
        for (int i = Math.max(from, 0); i < length; i++) {
            if (bytes[i] == '\n') {
                if (i + 1 < length && bytes[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < length && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /** Parses a header block as found by {@link #endOf}. */
    static ResponseHead parse(byte[] bytes, int length) throws ProtocolException {
        String block = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        List<HttpHeaders.Field> fields = new ArrayList<>();
        String status = null;
        // Lines end in LF or CRLF; split by hand, since String.split compiles its pattern on every call.
        for (int start = 0, end; start < block.length(); start = end + 1) {
            end = block.indexOf('\n', start);
            if (end < 0) {
                end = block.length();
            }
            int stop = end > start && block.charAt(end - 1) == '\r' ? end - 1 : end;
            if (stop == start) {
                continue;
            }
            HttpHeaders.Field field = field(block.substring(start, stop));
            if (field.name().equalsIgnoreCase("Status")) {
                status = field.value();
            } else {
                fields.add(field);
            }
        }
        HttpHeaders headers = HttpHeaders.of(fields);
        if (status != null) {
            return statusLine(status, headers);
        }
        if (headers.contains("Location")) {
            return new ResponseHead(302, ReasonPhrases.of(302), headers);
        }
        return new ResponseHead(200, ReasonPhrases.of(200), headers);
    }

    /** One {@code name: value} line, checked against RFC 9110's field syntax. */
    private static HttpHeaders.Field field(String line) throws ProtocolException {
        if (isWhitespace(line.charAt(0))) {
            throw new ProtocolException("folded header line (obsolete line folding is refused): " + printable(line));
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new ProtocolException("malformed CGI header line: " + printable(line));
        }
        String name = line.substring(0, colon);
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                throw new ProtocolException("invalid header name (not an RFC 9110 token): " + printable(name));
            }
        }
        String value = trimWhitespace(line.substring(colon + 1));
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                throw new ProtocolException("control character in the value of header " + name + ": "
                        + printable(value));
            }
        }
        return new HttpHeaders.Field(name, value);
    }

    private static ResponseHead statusLine(String status, HttpHeaders headers) throws ProtocolException {
        if (status.length() < 3 || !isDigits(status.substring(0, 3))
                || (status.length() > 3 && status.charAt(3) != ' ')) {
            throw new ProtocolException("malformed Status header: " + printable(status));
        }
        int code = Integer.parseInt(status.substring(0, 3));
        if (code < 100 || code > 599) {
            throw new ProtocolException("Status " + code + " is not an HTTP status");
        }
        if (code < 200) {
            throw new ProtocolException("Status " + code + " is an interim (1xx) response, but a CGI response has"
                    + " one header block and it is final");
        }
        String reason = trimWhitespace(status.substring(3));
        return new ResponseHead(code, reason.isEmpty() ? ReasonPhrases.of(code) : reason, headers);
    }

    /** RFC 9110 {@code tchar}: ASCII letters, digits and {@code !#$%&'*+-.^_`|~}. */
    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    /** Removes spaces and tabs only: {@link String#strip()} would also hide control characters at the edges. */
    private static String trimWhitespace(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    private static boolean isDigits(String text) {
        return text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** The text for a log line: control characters as {@code \xNN}, cut after 80 characters. */
    private static String printable(String text) {
        String cut = text.length() <= 80 ? text : text.substring(0, 80);
        StringBuilder out = new StringBuilder(cut.length() + 8);
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                out.append(String.format("\\x%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return cut.length() < text.length() ? out.append("...").toString() : out.toString();
    }
}
