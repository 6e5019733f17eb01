package io.fastcgibridge.protocol;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/**
 * One FastCGI record as a test writes it: every header field is free, so a record may break the
 * rules on purpose. The padding bytes are random, since a decoder must skip them unread.
 */
public record WireRecord(int version, int type, int requestId, byte[] content, int padding) {

    /** A well-formed record of version 1. */
    public static WireRecord of(RecordType type, int requestId, byte[] content, int padding) {
        return new WireRecord(FastCgi.VERSION, type.code(), requestId, content, padding);
    }

    /** The bytes this record takes on the wire. */
    public int length() {
        return FastCgi.HEADER_LENGTH + content.length + padding;
    }

    /** Writes the header, the content and {@link #padding} random bytes. */
    public void writeTo(ByteArrayOutputStream out, Random random) {
        out.write(version);
        out.write(type);
        out.write(requestId >> 8);
        out.write(requestId);
        out.write(content.length >> 8);
        out.write(content.length);
        out.write(padding);
        out.write(random.nextInt(256));
        out.writeBytes(content);
        byte[] pad = new byte[padding];
        random.nextBytes(pad);
        out.writeBytes(pad);
    }
}
