package io.fastcgibridge.client;

import io.fastcgibridge.client.FastCgiException.Code;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.NoSuchFileException;

/** Turns low-level failures into {@link FastCgiException}s whose messages say what to check. */
final class Failures {

    private Failures() {
    }

    static FastCgiException connect(FastCgiAddress address, Throwable cause) {
        String detail = String.valueOf(cause.getMessage());
        if (cause instanceof UnresolvedAddressException) {
            return new FastCgiException(Code.CONNECT_REFUSED, "cannot resolve the host of " + address, cause);
        }
        if (address instanceof FastCgiAddress.Unix unix) {
            if (cause instanceof NoSuchFileException || detail.contains("No such file")) {
                return new FastCgiException(Code.CONNECT_REFUSED, "no socket at " + unix.path()
                        + ": is PHP-FPM running, and is that its listen path?", cause);
            }
            if (detail.contains("Permission denied")) {
                return new FastCgiException(Code.CONNECT_REFUSED, "permission denied on " + unix.path()
                        + ": check the pool's listen.owner and listen.mode", cause);
            }
        }
        if (cause instanceof ConnectException || detail.contains("refused")) {
            return new FastCgiException(Code.CONNECT_REFUSED,
                    "connection refused by " + address + ": is PHP-FPM listening there?", cause);
        }
        return new FastCgiException(Code.CONNECT_REFUSED, "cannot connect to " + address + ": " + detail, cause);
    }

    static FastCgiException reset(FastCgiAddress address, IOException cause) {
        return new FastCgiException(Code.CONNECTION_RESET, "connection to " + address + " broke: " + cause.getMessage()
                + " (did a PHP-FPM worker die? see its log)", cause);
    }

    static FastCgiException closedEarly(FastCgiAddress address) {
        return new FastCgiException(Code.CONNECTION_RESET, address + " closed the connection before the end of the"
                + " response (a killed worker or request_terminate_timeout? see the PHP-FPM log)");
    }
}
