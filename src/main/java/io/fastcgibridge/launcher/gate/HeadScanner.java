package io.fastcgibridge.launcher.gate;

/**
 * Finds where an HTTP/1.x request head ends, in bytes fed piece by piece. It only looks for the end
 * and never judges the head: Tomcat parses it afterwards and answers 400 to what is malformed. So
 * it is as lenient as Tomcat's parser: leading empty lines are skipped, a line may end with CR LF
 * or a bare LF, and a request line without {@code HTTP/} (HTTP/0.9) is a whole head by itself.
 * An h2c prior-knowledge preface ({@code PRI * HTTP/2.0} and an empty line) ends like any head.
 */
final class HeadScanner {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] VERSION = {'H', 'T', 'T', 'P', '/'};

    /** Where the scan stands between two bytes. */
    private enum State {
        /** Before the request line: CR and LF are skipped, as Tomcat does. */
        LEADING_EMPTY_LINES,
        REQUEST_LINE,
        /** At the start of a header line, or of the empty line that ends the head. */
        LINE_START,
        /** A CR at the start of a line: an LF next ends the head. */
        LINE_START_CR,
        IN_LINE,
        COMPLETE
    }

    private State state = State.LEADING_EMPTY_LINES;
    private int versionMatched;
    private boolean requestLineHasVersion;

    /**
     * Scans {@code bytes[from, to)}, which follow every byte scanned before.
     *
     * @return the index just past the head's last byte, or -1 while the head goes on
     */
    int scan(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (step(bytes[i])) {
                return i + 1;
            }
        }
        return -1;
    }

    /** Whether the head was found whole. */
    boolean complete() {
        return state == State.COMPLETE;
    }

    /** Whether the scan is still before the end of the request line (a head too large there has a URI too long). */
    boolean inRequestLine() {
        return state == State.LEADING_EMPTY_LINES || state == State.REQUEST_LINE;
    }

    /** Takes one byte; returns whether it was the head's last. */
    private boolean step(byte b) {
        switch (state) {
            case LEADING_EMPTY_LINES -> {
                if (b != CR && b != LF) {
                    state = State.REQUEST_LINE;
                    matchVersion(b);
                }
            }
            case REQUEST_LINE -> {
                if (b == LF) {
                    // HTTP/0.9: a request line alone, without a version or headers
                    state = requestLineHasVersion ? State.LINE_START : State.COMPLETE;
                } else {
                    matchVersion(b);
                }
            }
            case LINE_START -> state = b == LF ? State.COMPLETE : b == CR ? State.LINE_START_CR : State.IN_LINE;
            case LINE_START_CR -> state = b == LF ? State.COMPLETE : State.IN_LINE;
            case IN_LINE -> {
                if (b == LF) {
                    state = State.LINE_START;
                }
            }
            case COMPLETE -> throw new IllegalStateException("the head is already complete");
            default -> throw new IllegalStateException(state.name());
        }
        return state == State.COMPLETE;
    }

    /** Follows {@code HTTP/} through the request line ("HTTP/" cannot overlap itself, so no back-tracking). */
    private void matchVersion(byte b) {
        if (requestLineHasVersion) {
            return;
        }
        if (b == VERSION[versionMatched]) {
            versionMatched++;
            requestLineHasVersion = versionMatched == VERSION.length;
        } else {
            versionMatched = b == VERSION[0] ? 1 : 0;
        }
    }
}
