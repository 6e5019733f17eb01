package io.fastcgibridge.testing;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;

/** A servlet output stream, always ready, that writes into a byte buffer: for servlet responses faked in tests. */
public final class CollectedOutput extends ServletOutputStream {

    private final ByteArrayOutputStream into;

    public CollectedOutput(ByteArrayOutputStream into) {
        this.into = into;
    }

    @Override
    public void write(int b) {
        into.write(b);
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void setWriteListener(WriteListener listener) {
    }
}
