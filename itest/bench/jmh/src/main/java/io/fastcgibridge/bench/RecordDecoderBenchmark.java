package io.fastcgibridge.bench;

import io.fastcgibridge.protocol.ProtocolException;
import io.fastcgibridge.protocol.ProtocolStatus;
import io.fastcgibridge.protocol.RecordDecoder;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@code RecordDecoder} reading responses from a heap buffer, as the client's connection does, with
 * a listener that adds up the STDOUT content bytes it is handed (the sum goes into the Blackhole
 * after each op). One decoder is reused across ops, as one connection's decoder is across its
 * requests; every input ends on a record boundary.
 *
 * <ul>
 *   <li>{@code stdout1MiB_64KiBReads}: one op decodes the 1 MiB STDOUT stream that
 *       {@link RecordEncoderBenchmark#stdout1MiB()} writes (17 records and the empty one,
 *       1,048,736 bytes) fed in 65,536-byte reads, the client's read size: 17 reads, record
 *       boundaries falling inside them. Its ops/s is the MiB/s of content.
 *   <li>{@code stdout1MiB_1500BReads}: the same stream fed in 1,500-byte reads (small TCP segments):
 *       700 reads, each one content slice handed to the listener.
 *   <li>{@code smallResponse}: one op decodes a small PHP page as it arrives in one read: a STDOUT
 *       record with the headers and a 12-byte body, the empty STDOUT record and END_REQUEST
 *       ({@link Payloads#smallResponse()}). MB/s = ops/s x its length.
 * </ul>
 * {@link MbPerSecond} runs these and prints MB/s of wire bytes for each.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@State(Scope.Thread)
public class RecordDecoderBenchmark {

    /** Adds up the STDOUT content it sees; counts ends of stream and END_REQUESTs. */
    static final class CountingListener implements RecordDecoder.Listener {
        long stdoutBytes;
        int stdoutEnds;
        int endRequests;
        ProtocolException failure;

        @Override
        public boolean onStdout(int requestId, ByteBuffer content) {
            int n = content.remaining();
            stdoutBytes += n;
            if (n == 0) {
                stdoutEnds++;
            }
            return true;
        }

        @Override
        public void onEndRequest(int requestId, int appStatus, ProtocolStatus protocolStatus) {
            endRequests++;
        }

        @Override
        public void onFailure(ProtocolException failure) {
            this.failure = failure;
        }
    }

    private ByteBuffer stdoutStream;
    private ByteBuffer smallResponse;
    private CountingListener listener;
    private RecordDecoder decoder;

    @Setup
    public void setUp() {
        stdoutStream = Payloads.stdoutStream();
        smallResponse = Payloads.smallResponse();
        listener = new CountingListener();
        decoder = new RecordDecoder(listener);
        // Each op must see all of its content and end on a record boundary.
        check(feed(stdoutStream, Payloads.LARGE_READ), Payloads.STDOUT_CONTENT, 0);
        check(feed(stdoutStream, Payloads.SMALL_READ), Payloads.STDOUT_CONTENT, 0);
        check(feed(smallResponse, smallResponse.limit()), Payloads.smallResponseContentLength(), 1);
    }

    private void check(long content, int expectedContent, int expectedEndRequests) {
        if (content != expectedContent || listener.stdoutEnds != 1 || listener.endRequests != expectedEndRequests
                || listener.failure != null || !decoder.isAtRecordBoundary()) {
            throw new IllegalStateException("decoded " + content + " bytes of " + expectedContent + ", "
                    + listener.stdoutEnds + " ends of stream, " + listener.endRequests + " END_REQUEST, failure "
                    + listener.failure);
        }
        listener.stdoutEnds = 0;
        listener.endRequests = 0;
    }

    @Benchmark
    public void stdout1MiB_64KiBReads(Blackhole blackhole) {
        blackhole.consume(feed(stdoutStream, Payloads.LARGE_READ));
    }

    @Benchmark
    public void stdout1MiB_1500BReads(Blackhole blackhole) {
        blackhole.consume(feed(stdoutStream, Payloads.SMALL_READ));
    }

    @Benchmark
    public void smallResponse(Blackhole blackhole) {
        blackhole.consume(feed(smallResponse, smallResponse.limit()));
    }

    /**
     * Feeds all of {@code stream} to the decoder in reads of {@code readSize} bytes, through one
     * view whose window moves (no copy, no allocation per read), and returns the content bytes the
     * listener was handed.
     */
    private long feed(ByteBuffer stream, int readSize) {
        listener.stdoutBytes = 0;
        int length = stream.limit();
        ByteBuffer read = stream.duplicate();
        for (int at = 0; at < length; at += readSize) {
            read.limit(Math.min(at + readSize, length)).position(at);
            decoder.decode(read);
        }
        return listener.stdoutBytes;
    }
}
