package io.fastcgibridge.protocol;

/** How the application says a request ended, in the protocolStatus byte of END_REQUEST. */
public enum ProtocolStatus {
    REQUEST_COMPLETE(0),
    CANT_MPX_CONN(1),
    OVERLOADED(2),
    UNKNOWN_ROLE(3);

    private final int code;

    ProtocolStatus(int code) {
        this.code = code;
    }

    /** The byte sent on the wire. */
    public int code() {
        return code;
    }

    /** The status for a wire code, or {@code null} for a code the specification does not define. */
    public static ProtocolStatus fromCode(int code) {
        return code >= 0 && code < values().length ? values()[code] : null;
    }
}
