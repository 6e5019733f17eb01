package io.fastcgibridge.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.client.FastCgiException.Code;
import io.fastcgibridge.protocol.CheckingListener;
import io.fastcgibridge.protocol.ChunkedFeed;
import io.fastcgibridge.protocol.ProtocolStatus;
import io.fastcgibridge.protocol.RecordDecoder;
import java.util.Random;
import java.util.Set;

/**
 * The response reader's properties for any byte stream, driven as the exchange drives it: it
 * stops at a failure or at END_REQUEST; a failure is a protocol error or an over-the-limit
 * response; it never holds more than the header and stderr limits; headers it accepts are valid
 * HTTP. For an unchanged generated response it delivers exactly what was sent.
 */
final class ReaderFuzzCheck {

    private static final Set<Code> DOCUMENTED = Set.of(Code.PROTOCOL_ERROR, Code.RESPONSE_TOO_LARGE);

    private final Random random;
    private final int maxHeaderBytes;
    private final int maxStderrBytes;
    private final RecordingSink sink;
    private final ResponseReader reader;
    private final FastCgiAddress address = FastCgiAddress.parse("127.0.0.1:9000");

    ReaderFuzzCheck(Random random) {
        this.random = random;
        this.maxHeaderBytes = random.nextBoolean() ? 64 << 10 : 1 + random.nextInt(600);
        this.maxStderrBytes = random.nextBoolean() ? 64 << 10 : 1 + random.nextInt(300);
        ClientSettings settings = ClientSettings.forBackends(address.toString()).toBuilder()
                .maxHeaderBytes(maxHeaderBytes).maxStderrBytes(maxStderrBytes).build();
        this.sink = new RecordingSink(random, maxStderrBytes);
        this.reader = new ResponseReader(Exchange.REQUEST_ID, address, sink, settings);
    }

    /** Feeds {@code stream}; checks what holds for any input. */
    void feed(byte[] stream) {
        ChunkedFeed feed = new ChunkedFeed(random, stream.length);
        RecordDecoder decoder = new RecordDecoder(new CheckingListener(reader, feed.buffer(), random));
        feed.run(decoder, stream, random, () -> {
            assertTrue(reader.retainedBytes() <= maxHeaderBytes + maxStderrBytes,
                    "the reader holds " + reader.retainedBytes() + " bytes");
            return reader.failure() != null || reader.isEnded();
        });
        FastCgiException failure = reader.failure();
        if (failure != null) {
            assertTrue(DOCUMENTED.contains(failure.code()), "undocumented failure " + failure.code());
            assertTrue(failure.getMessage().startsWith(address.toString()), failure.getMessage());
        }
        if (sink.head() != null) {
            assertValidHttp(sink.head());
        }
        if (reader.isEnded()) {
            reader.flushStderr();
        }
    }

    /** After {@link #feed} of the unchanged generated stream: exactly what was generated. */
    void assertDelivered(ResponseStreams.Expected expected) {
        if (expected.headerBlockLength() > maxHeaderBytes) {
            assertNotNull(reader.failure(), "a header block past the limit");
            assertEquals(Code.RESPONSE_TOO_LARGE, reader.failure().code());
            assertNull(sink.head());
            return;
        }
        assertNull(reader.failure(), () -> "failed: " + reader.failure().getMessage());
        assertTrue(reader.isEnded());
        assertEquals(expected.head(), sink.head());
        assertArrayEquals(expected.body(), sink.body());
        assertEquals(expected.appStatus(), reader.appStatus());
        assertEquals(expected.protocolStatus(), reader.protocolStatus());
        if (maxStderrBytes >= 4) {
            // Below four bytes a UTF-8 character cannot fit in one piece.
            assertEquals(expected.stderr(), sink.stderr());
        }
    }

    private static void assertValidHttp(ResponseHead head) {
        assertTrue(head.status() >= 200 && head.status() <= 599, "status " + head.status());
        for (HttpHeaders.Field field : head.headers().fields()) {
            assertTrue(field.name().chars().allMatch(c -> c > 0x20 && c < 0x7F && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0),
                    "header name " + field.name());
            assertTrue(field.value().chars().allMatch(c -> c == '\t' || (c >= 0x20 && c != 0x7F)),
                    "header value " + field.value());
        }
    }
}
