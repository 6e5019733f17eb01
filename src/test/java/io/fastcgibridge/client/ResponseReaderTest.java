package io.fastcgibridge.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.protocol.ProtocolStatus;
import io.fastcgibridge.protocol.RecordDecoder;
import io.fastcgibridge.protocol.RecordEncoder;
import io.fastcgibridge.protocol.RecordType;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The response reader on byte fixtures, among them what {@link ResponseStreamFuzzTest} found, and
 * its memory: per record, never per byte.
 */
class ResponseReaderTest {

    private static final FastCgiAddress BACKEND = FastCgiAddress.parse("127.0.0.1:9000");

    private static ResponseReader reader(ResponseSink sink, int maxHeaderBytes) {
        ClientSettings settings = ClientSettings.forBackends(BACKEND.toString()).toBuilder()
                .maxHeaderBytes(maxHeaderBytes).build();
        return new ResponseReader(Exchange.REQUEST_ID, BACKEND, sink, settings);
    }

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s+", ""));
    }

    /** Found by the fuzz test: the round trip of a response without any header failed. */
    @Test
    void aResponseWhoseHeadIsOnlyTheEmptyLineIsA200WithItsBody() {
        byte[] wire = hex(""
                // STDOUT, request 1, 6 bytes: "\r\nbody", 2 bytes of padding
                + "01 06 00 01 00 06 02 00  0d 0a 62 6f 64 79  00 00"
                // empty STDOUT, END_REQUEST complete
                + "01 06 00 01 00 00 00 00"
                + "01 03 00 01 00 08 00 00  00 00 00 00 00 00 00 00");
        RecordingSink sink = new RecordingSink(new Random(0), 1024);
        ResponseReader reader = reader(sink, 1024);

        new RecordDecoder(reader).decode(ByteBuffer.wrap(wire));

        assertNull(reader.failure());
        assertTrue(reader.isEnded());
        assertEquals(new ResponseHead(200, "OK", HttpHeaders.empty()), sink.head());
        assertEquals("body", new String(sink.body(), StandardCharsets.US_ASCII));
    }

    /** Found by the fuzz test: a header limit below 1 KiB still took a 1 KiB buffer. */
    @Test
    void aHeaderLimitBelowOneKibibyteBoundsTheHeaderBufferToo() {
        ResponseReader reader = reader(new RecordingSink(new Random(0), 1024), 100);
        assertTrue(reader.retainedBytes() <= 100, "holds " + reader.retainedBytes() + " bytes");

        byte[] wire = hex("01 06 00 01 00 50 00 00" + "41".repeat(0x50));
        new RecordDecoder(reader).decode(ByteBuffer.wrap(wire));

        assertNull(reader.failure());
        assertTrue(reader.retainedBytes() <= 100, "holds " + reader.retainedBytes() + " bytes");
    }

    @Test
    void twoHundredFiftySixMebibytesOfBodyAllocateLessThanTwoMebibytes() {
        byte[] record = new byte[RecordEncoder.recordLength(65_535)];
        RecordEncoder.stream(ByteBuffer.wrap(record), RecordType.STDOUT, Exchange.REQUEST_ID,
                ByteBuffer.wrap(new byte[65_535]));
        long[] received = new long[1];
        ResponseReader reader = reader(new CountingSink(received), 64 << 10);
        RecordDecoder decoder = new RecordDecoder(reader);
        ByteBuffer head = ByteBuffer.allocate(64);
        RecordEncoder.stream(head, RecordType.STDOUT, Exchange.REQUEST_ID,
                ByteBuffer.wrap("Content-Type: text/plain\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        decoder.decode(head.flip());
        ByteBuffer in = ByteBuffer.allocate(record.length);
        int records = 4096;

        long before = allocatedBytes();
        for (int i = 0; i < records; i++) {
            in.clear();
            in.put(record).flip();
            decoder.decode(in);
        }
        long allocated = allocatedBytes() - before;

        assertEquals(65_535L * records, received[0]);
        assertTrue(allocated < 2 << 20, allocated + " bytes allocated for 256 MiB of body");
        ByteBuffer end = ByteBuffer.allocate(32);
        RecordEncoder.endOfStream(end, RecordType.STDOUT, Exchange.REQUEST_ID);
        RecordEncoder.endRequest(end, Exchange.REQUEST_ID, 0, ProtocolStatus.REQUEST_COMPLETE);
        decoder.decode(end.flip());
        assertTrue(reader.isEnded());
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Counts body bytes and keeps nothing. */
    private record CountingSink(long[] received) implements ResponseSink {
        @Override
        public void onHeaders(ResponseHead head) {
        }

        @Override
        public boolean onBody(ByteBuffer chunk) {
            received[0] += chunk.remaining();
            chunk.position(chunk.limit());
            return true;
        }

        @Override
        public void onComplete(int appStatus) {
        }

        @Override
        public void onFailure(FastCgiException failure) {
        }
    }
}
