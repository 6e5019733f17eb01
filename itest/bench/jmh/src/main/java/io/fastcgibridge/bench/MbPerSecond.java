package io.fastcgibridge.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the benchmarks as {@code org.openjdk.jmh.Main} does, taking the same command line, always in
 * throughput mode with ops/s, then prints each one's throughput in FastCGI wire bytes (headers,
 * content and padding): MB/s = ops/s x wire bytes per op / 10^6, and the same in MiB/s (/ 2^20).
 *
 * <pre>java -cp target/benchmarks.jar io.fastcgibridge.bench.MbPerSecond -f 1 -wi 2 -i 3 -w 2s -r 3s</pre>
 */
public final class MbPerSecond {

    /** Wire bytes one op of each benchmark handles, by method name. */
    static final Map<String, Integer> WIRE_BYTES_PER_OP = Map.of(
            "RecordEncoderBenchmark.stdout1MiB", Payloads.stdoutStreamLength(),
            "RecordEncoderBenchmark.params", Payloads.paramsStreamLength(),
            "RecordDecoderBenchmark.stdout1MiB_64KiBReads", Payloads.stdoutStreamLength(),
            "RecordDecoderBenchmark.stdout1MiB_1500BReads", Payloads.stdoutStreamLength(),
            "RecordDecoderBenchmark.smallResponse", Payloads.smallResponse().remaining());

    private MbPerSecond() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        if (cli.shouldHelp() || cli.shouldList()) {
            // Listing and help are JMH's own.
            org.openjdk.jmh.Main.main(args);
            return;
        }
        Options options = new OptionsBuilder().parent(cli)
                .mode(Mode.Throughput)
                .timeUnit(TimeUnit.SECONDS)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.println(table(results));
    }

    /** A Markdown table: benchmark, wire bytes per op, ops/s with its 99.9% error, MB/s, MiB/s. */
    static String table(Collection<RunResult> results) {
        List<String> rows = new ArrayList<>();
        rows.add("| benchmark | wire bytes/op | ops/s | MB/s | MiB/s |");
        rows.add("| --- | ---: | ---: | ---: | ---: |");
        for (RunResult run : results) {
            String label = run.getParams().getBenchmark();
            label = label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1);
            Integer bytes = WIRE_BYTES_PER_OP.get(label);
            Result<?> result = run.getPrimaryResult();
            if (!"ops/s".equals(result.getScoreUnit())) {
                throw new IllegalStateException(label + " scored in " + result.getScoreUnit() + ", not ops/s");
            }
            double ops = result.getScore();
            double error = result.getScoreError();
            String opsText = Double.isNaN(error)
                    ? String.format(Locale.ROOT, "%,.0f", ops)
                    : String.format(Locale.ROOT, "%,.0f ± %,.0f", ops, error);
            if (bytes == null) {
                rows.add("| " + label + " | ? | " + opsText + " | ? | ? |");
            } else {
                rows.add(String.format(Locale.ROOT, "| %s | %,d | %s | %,.0f | %,.0f |", label, bytes, opsText,
                        ops * bytes / 1e6, ops * bytes / (1 << 20)));
            }
        }
        return String.join(System.lineSeparator(), rows);
    }
}
