package io.fastcgibridge.integration;

import io.fastcgibridge.event.*;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Apache's combined log format: {@code host ident user [time] "request" status bytes "referer"
 * "user-agent"}, with {@code -} for what is unknown, and the request's id last, unquoted, as nginx
 * users add {@code $request_id}: parsers of the combined format read the line up to the user agent
 * and leave the rest; the id holds no space or quote.
 */
public final class CombinedLogFormat {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneId.systemDefault());

    private CombinedLogFormat() {
    }

    public static String format(RequestCompletedEvent event) {
        RequestSummary request = event.request();
        return orDash(request.remoteAddress()) + " - " + orDash(request.remoteUser())
                + " [" + TIME.format(request.received()) + "] \""
                + escape(request.method() + " " + request.uri() + " " + request.protocol()) + "\" "
                + event.status() + " " + (event.bytesOut() > 0 ? Long.toString(event.bytesOut()) : "-")
                + " \"" + escape(orDash(request.referer())) + "\" \"" + escape(orDash(request.userAgent())) + "\" "
                + escape(orDash(request.id()));
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }

    /** Quotes and control characters escaped, so that a log line stays one line. */
    private static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                escaped.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                escaped.append(String.format("\\x%02x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
