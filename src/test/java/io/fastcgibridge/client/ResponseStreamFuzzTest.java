package io.fastcgibridge.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.fastcgibridge.protocol.DecoderFuzzCheck;
import io.fastcgibridge.protocol.RecordStreams;
import io.fastcgibridge.protocol.StreamMutations;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@code RecordDecoder} and {@link ResponseReader} with record streams: well-formed ones
 * (every record type, and responses as PHP-FPM sends them), the same broken on purpose, and the
 * fuzzer's raw bytes; each fed in random pieces with random pauses. The properties are in
 * {@link DecoderFuzzCheck} and {@link ReaderFuzzCheck}.
 *
 * <p>A full build runs it in Jazzer's fuzzing mode, in a JVM of its own, for a bounded number of
 * inputs (the {@code fuzz} profile in the POM). A failing input is written to {@code target/jazzer}
 * as {@code crash-*}; copied into {@code ResponseStreamFuzzTestInputs/recordStreamsDecodeOrFailCleanly/}
 * beside this class under {@code src/test/resources}, it is replayed by
 * {@code mvn test -Dtest=ResponseStreamFuzzTest} (Jazzer's regression mode). Each fix gets a byte
 * fixture test of its own as well ({@link ResponseReaderTest}).
 */
class ResponseStreamFuzzTest {

    private static final long MIN_INPUTS = 1_000;
    private static final AtomicLong INPUTS = new AtomicLong();

    @FuzzTest(maxExecutions = 2_000, maxDuration = "30s")
    @Timeout(60)
    void recordStreamsDecodeOrFailCleanly(FuzzedDataProvider data) {
        INPUTS.incrementAndGet();
        Random random = new Random(data.consumeLong());
        byte[] raw = data.consumeRemainingAsBytes();
        switch (random.nextInt(4)) {
            case 0 -> {
                DecoderFuzzCheck.checkAny(raw, new Random(random.nextLong()));
                new ReaderFuzzCheck(random).feed(raw);
            }
            case 1 -> anyRecords(random, raw);
            default -> response(random, raw);
        }
    }

    private static void anyRecords(Random random, byte[] raw) {
        var records = RecordStreams.anyRecords(random);
        if (random.nextInt(3) == 0) {
            DecoderFuzzCheck.checkWellFormed(records, random);
        } else {
            DecoderFuzzCheck.checkAny(StreamMutations.mutate(RecordStreams.encode(records, random), raw, random), random);
        }
    }

    private static void response(Random random, byte[] raw) {
        ResponseStreams.Generated generated = ResponseStreams.generate(random);
        RecordStreams.Encoded encoded = RecordStreams.encode(generated.records(), random);
        ReaderFuzzCheck reader = new ReaderFuzzCheck(random);
        if (random.nextInt(3) == 0) {
            reader.feed(encoded.bytes());
            reader.assertDelivered(generated.expected());
        } else {
            byte[] mutated = StreamMutations.mutate(encoded, raw, random);
            reader.feed(mutated);
            DecoderFuzzCheck.checkAny(mutated, random);
        }
    }

    @AfterAll
    static void enoughInputsWhenFuzzing() {
        if (System.getProperty("JAZZER_FUZZ") != null || System.getenv("JAZZER_FUZZ") != null) {
            assertTrue(INPUTS.get() >= MIN_INPUTS, INPUTS.get() + " inputs fuzzed, fewer than " + MIN_INPUTS);
        }
        System.out.println("ResponseStreamFuzzTest: " + INPUTS.get() + " inputs");
    }
}
