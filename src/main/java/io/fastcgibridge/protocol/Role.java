package io.fastcgibridge.protocol;

/** The role a BEGIN_REQUEST asks the application to play; PHP-FPM only plays {@link #RESPONDER}. */
public enum Role {
    RESPONDER(1),
    AUTHORIZER(2),
    FILTER(3);

    private final int code;

    Role(int code) {
        this.code = code;
    }

    /** The 16-bit value sent in BEGIN_REQUEST. */
    public int code() {
        return code;
    }

    /** The role for a wire code, or {@code null} for a code the specification does not define. */
    public static Role fromCode(int code) {
        for (Role role : values()) {
            if (role.code == code) {
                return role;
            }
        }
        return null;
    }
}
