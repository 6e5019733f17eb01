package io.fastcgibridge.monitor;

/** The class of an HTTP status as a tag value: {@code 2xx} to {@code 5xx}, nothing finer (bounded cardinality). */
public enum StatusClass {
    SUCCESS("2xx"), REDIRECTION("3xx"), CLIENT_ERROR("4xx"), SERVER_ERROR("5xx");

    private static final StatusClass[] ALL = values();

    private final String tag;

    StatusClass(String tag) {
        this.tag = tag;
    }

    /** {@code 2xx}, {@code 3xx}, {@code 4xx} or {@code 5xx}. */
    public String tag() {
        return tag;
    }

    /** The class of {@code status}; a 1xx or an out-of-range value counts as a server error. */
    public static StatusClass of(int status) {
        int hundreds = status / 100;
        return hundreds >= 2 && hundreds <= 5 ? ALL[hundreds - 2] : SERVER_ERROR;
    }
}
