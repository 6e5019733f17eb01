package io.fastcgibridge.servlet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One satisfiable byte range of a representation, {@code first} to {@code last} inclusive, and the
 * reading of a {@code Range} header (RFC 9110 §14.1.2) against a representation's length.
 *
 * @param first the offset of the first byte
 * @param last the offset of the last byte, inclusive
 */
record ByteRange(long first, long last) {

    ByteRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("not a byte range: " + first + "-" + last);
        }
    }

    /** What a {@code Range} header asks of a representation. */
    sealed interface Selection {
    }

    /** The header is absent, malformed, not in bytes, or not worth honouring: send the whole representation. */
    record Whole() implements Selection {
    }

    /** No range overlaps the representation: answer 416. */
    record Unsatisfiable() implements Selection {
    }

    /** The satisfiable ranges, sorted and merged where they overlap or touch; never empty. */
    record Parts(List<ByteRange> ranges) implements Selection {
        Parts {
            ranges = List.copyOf(ranges);
        }
    }

    /** The number of bytes in the range. */
    long length() {
        return last - first + 1;
    }

    /** The {@code Content-Range} value of this range within {@code total} bytes. */
    String contentRange(long total) {
        return "bytes " + first + "-" + last + "/" + total;
    }

    /**
     * Reads {@code header} (the {@code Range} value, or {@code null}) against a representation of
     * {@code size} bytes. A malformed header, another unit, or an empty representation select the whole.
     */
    static Selection select(String header, long size) {
        if (header == null || size <= 0) {
            return new Whole();
        }
        int equals = header.indexOf('=');
        if (equals < 0 || !header.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("bytes")) {
            return new Whole();
        }
        List<ByteRange> satisfiable = new ArrayList<>();
        int specs = 0;
        for (String element : header.substring(equals + 1).split(",", -1)) {
            String spec = element.strip();
            if (spec.isEmpty()) {
                continue; // empty list elements are allowed and ignored
            }
            specs++;
            int dash = spec.indexOf('-');
            if (dash < 0) {
                return new Whole();
            }
            String firstText = spec.substring(0, dash);
            String lastText = spec.substring(dash + 1);
            if (firstText.isEmpty()) {
                long suffix = number(lastText);
                if (suffix < 0) {
                    return new Whole();
                }
                if (suffix > 0) {
                    satisfiable.add(new ByteRange(Math.max(0, size - suffix), size - 1));
                }
                continue;
            }
            long first = number(firstText);
            long last = lastText.isEmpty() ? Long.MAX_VALUE : number(lastText);
            if (first < 0 || last < 0 || last < first) {
                return new Whole();
            }
            if (first < size) {
                satisfiable.add(new ByteRange(first, Math.min(last, size - 1)));
            }
        }
        if (specs == 0) {
            return new Whole();
        }
        return satisfiable.isEmpty() ? new Unsatisfiable() : new Parts(merge(satisfiable));
    }

    /** Sorts ranges and joins those that overlap or touch. */
    static List<ByteRange> merge(List<ByteRange> ranges) {
        List<ByteRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(ByteRange::first));
        List<ByteRange> merged = new ArrayList<>();
        for (ByteRange range : sorted) {
            int end = merged.size() - 1;
            if (end >= 0 && range.first() <= merged.get(end).last() + 1) {
                ByteRange previous = merged.get(end);
                merged.set(end, new ByteRange(previous.first(), Math.max(previous.last(), range.last())));
            } else {
                merged.add(range);
            }
        }
        return merged;
    }

    /** A run of ASCII digits as a number (too large becomes {@link Long#MAX_VALUE}), or -1 if not digits. */
    private static long number(String text) {
        if (text.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
