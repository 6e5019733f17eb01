package io.fastcgibridge.protocol;

/** The eleven record types of FastCGI 1.0, with their wire codes. */
public enum RecordType {
    BEGIN_REQUEST(1),
    ABORT_REQUEST(2),
    END_REQUEST(3),
    PARAMS(4),
    STDIN(5),
    STDOUT(6),
    STDERR(7),
    DATA(8),
    GET_VALUES(9),
    GET_VALUES_RESULT(10),
    UNKNOWN_TYPE(11);

    private static final RecordType[] BY_CODE = new RecordType[12];

    static {
        for (RecordType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    /** The byte that stands for this type on the wire. */
    public int code() {
        return code;
    }

    /** The type for a wire code, or {@code null} when the code is not one of the eleven. */
    public static RecordType fromCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Whether records of this type carry a byte stream that ends with an empty record. */
    public boolean isStream() {
        return this == PARAMS || this == STDIN || this == STDOUT || this == STDERR || this == DATA;
    }

    /** Whether records of this type are management records, sent with request id 0. */
    public boolean isManagement() {
        return this == GET_VALUES || this == GET_VALUES_RESULT || this == UNKNOWN_TYPE;
    }
}
