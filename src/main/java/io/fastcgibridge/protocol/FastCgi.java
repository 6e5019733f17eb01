package io.fastcgibridge.protocol;

/**
 * Numbers fixed by the FastCGI 1.0 specification that do not belong to one of the enums:
 * the record header layout, size limits, flags and management variable names.
 */
public final class FastCgi {

    /** The only protocol version there is. */
    public static final int VERSION = 1;

    /** Every record starts with a header of this many bytes. */
    public static final int HEADER_LENGTH = 8;

    /** Content length is a 16-bit field. */
    public static final int MAX_CONTENT_LENGTH = 0xFFFF;

    /** Padding length is an 8-bit field. */
    public static final int MAX_PADDING_LENGTH = 0xFF;

    /** Management records (GET_VALUES and friends) use this request id. */
    public static final int MANAGEMENT_REQUEST_ID = 0;

    /** BEGIN_REQUEST flag: keep the connection open after the request ends. */
    public static final int FLAG_KEEP_CONN = 1;

    /** GET_VALUES variable: how many concurrent transport connections the application accepts. */
    public static final String MAX_CONNS = "FCGI_MAX_CONNS";

    /** GET_VALUES variable: how many concurrent requests the application accepts. */
    public static final String MAX_REQS = "FCGI_MAX_REQS";

    /** GET_VALUES variable: "1" when the application multiplexes requests over one connection. */
    public static final String MPXS_CONNS = "FCGI_MPXS_CONNS";

    private FastCgi() {
    }
}
