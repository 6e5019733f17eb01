package io.fastcgibridge.bench;

import java.nio.ByteBuffer;
import java.util.Map;
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

/**
 * {@code RecordEncoder} (and {@code NameValuePairs} for PARAMS) writing into a reused heap buffer.
 *
 * <ul>
 *   <li>{@code stdout1MiB}: one op encodes exactly 1 MiB of STDOUT content as 17 records (16 of
 *       65,535 bytes + 1 byte of padding, one of 16 bytes) and the empty record ending the stream,
 *       1,048,736 wire bytes. So its ops/s is the MiB/s of content.
 *   <li>{@code params}: one op encodes the 26 params of a typical PHP request
 *       ({@link Payloads#typicalParams()}) into name-value pairs (a new byte[], as the client does
 *       per request) and writes them as one PARAMS record and the empty one into a buffer the size
 *       of the client's send buffer. MB/s = ops/s x {@link Payloads#paramsStreamLength()}.
 * </ul>
 * {@link MbPerSecond} runs these and prints MB/s of wire bytes for each.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@State(Scope.Thread)
public class RecordEncoderBenchmark {

    private ByteBuffer stdoutContent;
    private ByteBuffer stdoutOut;
    private Map<String, String> params;
    private ByteBuffer paramsOut;

    @Setup
    public void setUp() {
        stdoutContent = Payloads.stdoutContent();
        stdoutOut = ByteBuffer.allocate(Payloads.stdoutStreamLength());
        params = Payloads.typicalParams();
        paramsOut = ByteBuffer.allocate(Payloads.CLIENT_OUT_BUFFER);
        // Each benchmark's output must be what the decoder benchmarks read, byte for byte.
        if (!stdout1MiB().flip().equals(Payloads.stdoutStream())) {
            throw new IllegalStateException("stdout1MiB does not write the expected stream");
        }
        if (params().position() != Payloads.paramsStreamLength()) {
            throw new IllegalStateException("params does not write the expected length");
        }
    }

    @Benchmark
    public ByteBuffer stdout1MiB() {
        stdoutContent.clear();
        stdoutOut.clear();
        Payloads.encodeStdout(stdoutOut, stdoutContent);
        return stdoutOut;
    }

    @Benchmark
    public ByteBuffer params() {
        paramsOut.clear();
        Payloads.encodeParams(paramsOut, params);
        return paramsOut;
    }
}
