package io.fastcgibridge.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The conditional request headers of RFC 9110 §13 evaluated, in the order of §13.2.2, against one
 * representation's strong {@code ETag} and its {@code Last-Modified} time.
 */
final class StaticConditions {

    /** The outcome of the preconditions: go on, or answer 304 or 412. */
    enum Outcome { PROCEED, NOT_MODIFIED, PRECONDITION_FAILED }

    private final String etag;
    private final long modifiedSeconds;

    /**
     * @param etag the strong entity tag, quotes included
     * @param modifiedMillis the last modification time, compared to the second as HTTP dates are
     */
    StaticConditions(String etag, long modifiedMillis) {
        this.etag = etag;
        this.modifiedSeconds = Math.floorDiv(modifiedMillis, 1000);
    }

    /** Evaluates If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since for a GET or HEAD. */
    Outcome evaluate(HttpServletRequest request) {
        String ifMatch = request.getHeader("If-Match");
        if (ifMatch != null) {
            if (!matches(ifMatch, true)) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else {
            long unmodifiedSince = date(request, "If-Unmodified-Since");
            if (unmodifiedSince >= 0 && modifiedSeconds > unmodifiedSince) {
                return Outcome.PRECONDITION_FAILED;
            }
        }
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null) {
            return matches(ifNoneMatch, false) ? Outcome.NOT_MODIFIED : Outcome.PROCEED;
        }
        long modifiedSince = date(request, "If-Modified-Since");
        return modifiedSince >= 0 && modifiedSeconds <= modifiedSince ? Outcome.NOT_MODIFIED : Outcome.PROCEED;
    }

    /**
     * Whether a {@code Range} may be honoured: true without {@code If-Range}, else only when its
     * entity tag matches strongly or its date equals {@code Last-Modified} exactly.
     */
    boolean rangeAllowed(HttpServletRequest request) {
        String ifRange = request.getHeader("If-Range");
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.strip();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return !value.startsWith("W/") && value.equals(etag);
        }
        long date = date(request, "If-Range");
        return date >= 0 && date == modifiedSeconds;
    }

    /** Whether a list of entity tags, or {@code *}, holds ours (strongly or weakly compared). */
    private boolean matches(String header, boolean strong) {
        List<String> tags = entityTags(header);
        for (String tag : tags) {
            if (tag.equals("*")) {
                return true;
            }
            boolean weak = tag.startsWith("W/");
            if (weak && strong) {
                continue;
            }
            if ((weak ? tag.substring(2) : tag).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The members of an entity-tag list such as {@code "a", W/"b,c"}; parsing stops at the first
     * malformed member, so garbage never matches. Commas inside quotes belong to the tag.
     */
    static List<String> entityTags(String header) {
        List<String> tags = new ArrayList<>();
        int at = 0;
        int length = header.length();
        while (at < length) {
            char c = header.charAt(at);
            if (c == ' ' || c == '\t' || c == ',') {
                at++;
                continue;
            }
            if (c == '*') {
                tags.add("*");
                at++;
                continue;
            }
            int start = at;
            if (header.startsWith("W/", at)) {
                at += 2;
            }
            if (at >= length || header.charAt(at) != '"') {
                break;
            }
            int close = header.indexOf('"', at + 1);
            if (close < 0) {
                break;
            }
            tags.add(header.substring(start, close + 1));
            at = close + 1;
        }
        return tags;
    }

    /** An HTTP-date header in whole seconds, or -1 when absent or not a valid date (then it is ignored). */
    private static long date(HttpServletRequest request, String name) {
        try {
            long millis = request.getDateHeader(name);
            return millis < 0 ? -1 : millis / 1000;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
