package io.fastcgibridge.client;

import java.io.IOException;

/**
 * Why a FastCGI request failed: a stable {@link Code} (also as a number, {@link #getCode()}) and a
 * message that names the backend and says what to check.
 */
public final class FastCgiException extends IOException {

    /** The kinds of failure, each with a number that stays the same across releases. */
    public enum Code {
        CONNECT_REFUSED(1, "connection refused"),
        CONNECT_TIMEOUT(2, "connect timeout"),
        READ_TIMEOUT(3, "read timeout"),
        WRITE_TIMEOUT(4, "write timeout"),
        CONNECTION_RESET(5, "connection reset"),
        PROTOCOL_ERROR(6, "protocol error"),
        OVERLOADED(7, "application overloaded"),
        CANT_MPX_CONN(8, "application cannot multiplex"),
        UNKNOWN_ROLE(9, "application does not play this role"),
        POOL_EXHAUSTED(10, "no connection free"),
        REQUEST_TIMEOUT(11, "request timeout"),
        RESPONSE_TOO_LARGE(12, "response over a size limit"),
        REQUEST_TOO_LARGE(13, "request over a size limit"),
        REQUEST_BODY_FAILED(14, "request body could not be read"),
        CANCELLED(15, "cancelled"),
        CLIENT_CLOSED(16, "client closed");

        private final int number;
        private final String summary;

        Code(int number, String summary) {
            this.number = number;
            this.summary = summary;
        }

        /** The stable number of this code. */
        public int number() {
            return number;
        }

        /** A few words for logs and command-line output. */
        public String summary() {
            return summary;
        }
    }

    private final Code code;

    public FastCgiException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public FastCgiException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The kind of failure. */
    public Code code() {
        return code;
    }

    /** The stable number of {@link #code()}. */
    public int getCode() {
        return code.number();
    }
}
