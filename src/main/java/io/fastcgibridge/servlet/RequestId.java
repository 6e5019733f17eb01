package io.fastcgibridge.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The id of one request, kept as a request attribute so that PHP ({@code HTTP_X_REQUEST_ID}), the
 * access log and every log line about the request carry the same one: the client's
 * {@code X-Request-Id} when it is safe to log, else its W3C {@code traceparent}, else a new one.
 */
public final class RequestId {

    /** The request attribute that holds the id, a {@code String}, once the bridge has seen the request. */
    public static final String ATTRIBUTE = "io.fastcgibridge.requestId";
    /** The longest {@code X-Request-Id} kept; Heroku's router allows 200, nginx makes 32. */
    public static final int MAX_LENGTH = 128;

    private static final String HEADER = "X-Request-Id";
    private static final String TRACEPARENT = "traceparent";
    /** {@code version-traceid-parentid-flags}: 2 + 32 + 16 + 2 hex digits and three dashes. */
    private static final int TRACEPARENT_LENGTH = 55;

    /** 64 random bits a process: two bridges, or two starts of one, never count from the same place. */
    private static final long PREFIX = new SecureRandom().nextLong();
    private static final AtomicLong COUNTER = new AtomicLong();

    private RequestId() {
    }

    /** The id of {@code request}, chosen on the first call and the same on every later one. */
    public static String of(HttpServletRequest request) {
        Object known = request.getAttribute(ATTRIBUTE);
        if (known instanceof String id) {
            return id;
        }
        String id = choose(request);
        request.setAttribute(ATTRIBUTE, id);
        return id;
    }

    /** How log lines name a request: {@code [id] METHOD URI}. */
    public static String describe(String id, String method, String uri) {
        return "[" + id + "] " + method + " " + uri;
    }

    private static String choose(HttpServletRequest request) {
        String given = request.getHeader(HEADER);
        if (given != null && isSafe(given)) {
            return given;
        }
        String traceparent = request.getHeader(TRACEPARENT);
        String id = traceparent != null && isTraceparent(traceparent)
                ? traceparent.substring(0, TRACEPARENT_LENGTH) : fresh();
        if (given != null) {
            ReplacedIds.logged(given, id);
        }
        return id;
    }

    /** 1 to {@link #MAX_LENGTH} characters of {@code A-Z a-z 0-9 - _ . : @ + / =}: UUIDs, base64, nginx's hex. */
    static boolean isSafe(String id) {
        if (id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && "-_.:@+/=".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A W3C Trace Context {@code traceparent}: lower-case hex fields, a version other than {@code ff},
     * a trace-id and a parent-id not all zeros; a later version may append fields after a dash.
     */
    static boolean isTraceparent(String value) {
        if (value.length() < TRACEPARENT_LENGTH
                || (value.length() > TRACEPARENT_LENGTH && (value.startsWith("00") || value.charAt(55) != '-'))
                || value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
            return false;
        }
        return isHex(value, 0, 2) && !value.startsWith("ff") && isHex(value, 3, 35) && isHex(value, 36, 52)
                && isHex(value, 53, 55) && !isZeros(value, 3, 35) && !isZeros(value, 36, 52);
    }

    /**
     * A new id: the process's random prefix and a counter, 32 lower-case hex digits like nginx's
     * {@code $request_id}. Unique within the process by the counter, across processes by the prefix
     * (two processes share one with odds of 1 in 2^64); no lock and no entropy pool on the way.
     */
    static String fresh() {
        char[] digits = new char[32];
        hex(PREFIX, digits, 0);
        hex(COUNTER.incrementAndGet(), digits, 16);
        return new String(digits);
    }

    private static void hex(long value, char[] into, int at) {
        for (int i = 15; i >= 0; i--) {
            into[at + i] = Character.forDigit((int) (value & 0xf), 16);
            value >>>= 4;
        }
    }

    private static boolean isHex(String value, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZeros(String value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (value.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
