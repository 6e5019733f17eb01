package io.fastcgibridge.client;

import io.fastcgibridge.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the CGI header block at the start of a responder's stdout (RFC 3875, section 6): header
 * lines ended by CRLF or LF, up to an empty line. {@code Status: 404 Gone} sets the status; a
 * {@code Location} without a {@code Status} means 302; otherwise 200.
 */
final class CgiHeaders {

    private CgiHeaders() {
    }

    /**
     * Where the header block in {@code bytes[0..length)} ends (just past the empty line), or -1.
     * Searching starts at {@code from} so that a block arriving in pieces is scanned once.
     */
    static int endOf(byte[] bytes, int from, int length) {
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
        for (String line : block.split("\r?\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !fields.isEmpty()) {
                HttpHeaders.Field last = fields.remove(fields.size() - 1);
                fields.add(new HttpHeaders.Field(last.name(), last.value() + " " + line.strip()));
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new ProtocolException("malformed CGI header line: " + abbreviate(line));
            }
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (name.equalsIgnoreCase("Status")) {
                status = value;
            } else {
                fields.add(new HttpHeaders.Field(name, value));
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

    private static ResponseHead statusLine(String status, HttpHeaders headers) throws ProtocolException {
        if (status.length() < 3 || !isDigits(status.substring(0, 3))
                || (status.length() > 3 && status.charAt(3) != ' ')) {
            throw new ProtocolException("malformed Status header: " + abbreviate(status));
        }
        int code = Integer.parseInt(status.substring(0, 3));
        if (code < 100) {
            throw new ProtocolException("Status " + code + " is not an HTTP status");
        }
        String reason = status.substring(3).strip();
        return new ResponseHead(code, reason.isEmpty() ? ReasonPhrases.of(code) : reason, headers);
    }

    private static boolean isDigits(String text) {
        return text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
