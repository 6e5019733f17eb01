package io.fastcgibridge.protocol;

import java.io.IOException;

/** A byte stream that breaks the FastCGI 1.0 rules or a size limit; the message says which rule. */
public final class ProtocolException extends IOException {

    public ProtocolException(String message) {
        super(message);
    }
}
