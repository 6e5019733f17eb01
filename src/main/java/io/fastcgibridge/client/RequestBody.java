package io.fastcgibridge.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request body of known length: PHP-FPM reads exactly {@code CONTENT_LENGTH} bytes, so the
 * length comes first. Each request opens a {@link BodyReader} that the client pulls from as the
 * socket accepts data, so a body of any size takes a bounded amount of memory.
 */
public interface RequestBody {

    /** The exact number of bytes {@link #open()} yields. */
    long length();

    /** Starts reading from the beginning. */
    BodyReader open() throws IOException;

    /** Whether {@link #open()} may be called again, so a request can be retried on a new connection. */
    default boolean isRepeatable() {
        return true;
    }

    /** No body. */
    static RequestBody empty() {
        return of(new byte[0]);
    }

    /** A body held in memory (not copied). */
    static RequestBody of(byte[] bytes) {
        return new RequestBody() {
            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public BodyReader open() {
                ByteBuffer source = ByteBuffer.wrap(bytes);
                return target -> {
                    if (!source.hasRemaining()) {
                        return -1;
                    }
                    int n = Math.min(source.remaining(), target.remaining());
                    target.put(source.slice(source.position(), n));
                    source.position(source.position() + n);
                    return n;
                };
            }
        };
    }

    /**
     * The content of a file, read as it is sent: ahead, on a daemon thread of the client's, so that
     * no disk read ever runs on an I/O thread.
     */
    static RequestBody of(Path file) throws IOException {
        long length = Files.size(file);
        return new RequestBody() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public BodyReader open() {
                return new FileBodyReader(() -> FileChannel.open(file, StandardOpenOption.READ), true, length,
                        FileBodyReader.SHARED);
            }
        };
    }

    /**
     * The first {@code length} bytes of an open file, read ahead on {@code executor} (never on an
     * I/O thread) with positional reads, so the body can be sent again. The caller closes the
     * channel once the request is over.
     */
    static RequestBody of(FileChannel channel, long length, Executor executor) {
        return new RequestBody() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public BodyReader open() {
                return new FileBodyReader(() -> channel, false, length, executor);
            }
        };
    }

    /**
     * A stream that yields {@code length} bytes, read once. It is read on the client's I/O thread,
     * so it must not block for long: use it for files and memory, not for network streams.
     */
    static RequestBody of(InputStream stream, long length) {
        return once(length, new BodyReader() {
            @Override
            public int read(ByteBuffer target) throws IOException {
                int n = stream.read(target.array(), target.arrayOffset() + target.position(), target.remaining());
                if (n > 0) {
                    target.position(target.position() + n);
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                stream.close();
            }
        });
    }

    /**
     * A body that one reader yields, so it can be sent once: a request holding it is not retried
     * after its body was read. For sources that arrive as they come, such as a servlet request.
     */
    static RequestBody once(long length, BodyReader reader) {
        AtomicBoolean opened = new AtomicBoolean();
        return new RequestBody() {
            @Override
            public long length() {
                return length;
            }

            @Override
            public BodyReader open() throws IOException {
                if (opened.getAndSet(true)) {
                    throw new IOException("this request body can be read only once");
                }
                return reader;
            }

            @Override
            public boolean isRepeatable() {
                return false;
            }
        };
    }
}
