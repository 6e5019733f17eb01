package io.fastcgibridge.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

/**
 * The decoder's properties for any byte stream: it returns (no hang), throws nothing, reports at
 * most one failure and nothing after it, and hands over stream content as views of its input,
 * never copies. For a well-formed stream it also hears exactly the records that were written.
 */
public final class DecoderFuzzCheck {

    private DecoderFuzzCheck() {
    }

    /** Checks a well-formed stream of these records: the events must match them. */
    public static void checkWellFormed(List<WireRecord> records, Random random) {
        RecordStreams.Encoded encoded = RecordStreams.encode(records, random);
        RecordDecoder decoder = check(encoded.bytes(), random, new RecordDecoderTest.Recorder(),
                (recorder, failed) -> assertEquals(RecordStreams.expectedEvents(records), recorder.events));
        assertTrue(decoder.isAtRecordBoundary(), "a well-formed stream ends between records");
        assertFalse(decoder.hasFailed());
    }

    /** Checks any stream: only the properties that hold for every input. */
    public static void checkAny(byte[] stream, Random random) {
        check(stream, random, new RecordDecoderTest.Recorder(), (recorder, failed) -> {
            if (failed) {
                assertTrue(recorder.events.get(recorder.events.size() - 1).startsWith("failure:"),
                        "the failure is the last event");
            }
        });
    }

    private interface Verdict {
        void check(RecordDecoderTest.Recorder recorder, boolean failed);
    }

    private static RecordDecoder check(byte[] stream, Random random, RecordDecoderTest.Recorder recorder,
            Verdict verdict) {
        ChunkedFeed feed = new ChunkedFeed(random, stream.length);
        CheckingListener listener = new CheckingListener(recorder, feed.buffer(), random);
        RecordDecoder decoder = new RecordDecoder(listener);
        feed.run(decoder, stream, random, () -> false);
        assertEquals(decoder.hasFailed(), listener.failed(), "hasFailed() agrees with onFailure");
        verdict.check(recorder, decoder.hasFailed());
        return decoder;
    }
}
