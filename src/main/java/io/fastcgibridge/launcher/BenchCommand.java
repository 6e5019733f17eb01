package io.fastcgibridge.launcher;

import io.fastcgibridge.client.ClientSettings;
import io.fastcgibridge.client.FastCgiClient;
import io.fastcgibridge.client.FastCgiRequest;
import io.fastcgibridge.client.FastCgiResponse;
import io.fastcgibridge.servlet.BridgeConfig;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code bench ADDRESS SCRIPT}: a FastCGI load generator straight to PHP-FPM, the ceiling the bridge
 * works under, without HTTP. Keeps {@code --concurrency} requests in flight for {@code --duration}
 * after {@code --warmup}, and prints requests per second, the median and 99th percentile latency,
 * errors, and the CPU the client spent per request.
 */
final class BenchCommand {

    private final PrintStream out;
    private final PrintStream err;

    BenchCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        Flags flags;
        int concurrency;
        Duration duration;
        Duration warmup;
        FastCgiRequest request;
        ClientSettings settings;
        try {
            flags = Flags.parse(args, Set.of("concurrency", "duration", "warmup", "post", "keepalive"), Set.of());
            if (flags.helpRequested() || flags.versionRequested()) {
                return Main.printed(out, flags.helpRequested() ? Main.USAGE_HEAD + usage() : Main.versionLine());
            }
            if (flags.positional().size() != 2) {
                throw new IllegalArgumentException("bench needs ADDRESS and SCRIPT");
            }
            concurrency = Integer.parseInt(flags.one("concurrency", "16"));
            duration = duration(flags, "duration", "10s");
            warmup = duration(flags, "warmup", "3s");
            Map<String, String> form = new LinkedHashMap<>();
            for (String field : flags.all("post")) {
                int equals = field.indexOf('=');
                if (equals <= 0) {
                    throw new IllegalArgumentException("--post takes name=value, not " + field);
                }
                form.put(field.substring(0, equals), field.substring(equals + 1));
            }
            String script = flags.positional().get(1);
            String keepalive = flags.one("keepalive", "on");
            request = (form.isEmpty() ? FastCgiRequest.get(script) : FastCgiRequest.post(script, form))
                    .withKeepConn(keepAlive(keepalive));
            settings = ClientSettings.forBackends(flags.positional().get(0)).toBuilder()
                    .maxConnections(concurrency).verifyReuse(!keepalive.equals("unverified")).build();
        } catch (IllegalArgumentException e) {
            err.println("usage error: " + e.getMessage());
            err.print(usage());
            return 2;
        }
        try (FastCgiClient client = new FastCgiClient(settings)) {
            if (!warmup.isZero()) {
                load(client, request, concurrency, warmup);
            }
            long cpuBefore = processCpuNanos();
            Result result = load(client, request, concurrency, duration);
            long cpuMicros = (processCpuNanos() - cpuBefore) / 1000;
            long requests = result.requests();
            out.printf(Locale.ROOT, "%d requests in %.1f s, %d errors: %.0f req/s, p50 %.2f ms, p99 %.2f ms,"
                    + " client CPU %d µs/req%n", requests, result.seconds, result.errors(),
                    requests / result.seconds, result.percentile(0.50), result.percentile(0.99),
                    cpuMicros / Math.max(1, requests));
            if (result.firstError() != null) {
                out.println("first error: " + result.firstError());
            }
            return result.errors() == 0 ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static Duration duration(Flags flags, String name, String fallback) {
        try {
            return BridgeConfig.parseDuration(flags.one(name, fallback));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + name + ": " + e.getMessage());
        }
    }

    /** CPU time of this whole process (every thread: the client's loop, this one, the JVM's own). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static String usage() {
        return """
                  bench ADDRESS SCRIPT [--concurrency 16] [--duration 10s] [--warmup 3s] [--post name=value] [--keepalive on|unverified|off]
                      FastCGI load straight to PHP-FPM: after the warm-up, req/s, p50, p99, errors and its CPU per request
                """;
    }

    /**
     * {@code on} (the default) keeps connections as a pool, each reused once PHP-FPM showed its worker
     * free; {@code unverified} reuses them at once, as a plain client does; {@code off} opens one per
     * request.
     */
    private static boolean keepAlive(String value) {
        return switch (value) {
            case "on", "unverified" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("--keepalive takes on, unverified or off, not " + value);
        };
    }

    private static Result load(FastCgiClient client, FastCgiRequest request, int concurrency, Duration duration)
            throws InterruptedException {
        Result result = new Result();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            next(client, request, end, result, done);
        }
        done.await(duration.toSeconds() + 120, TimeUnit.SECONDS);
        result.seconds = (System.nanoTime() - start) / 1e9;
        return result;
    }

    /** One in-flight slot: sends, records, and sends again until the end. */
    private static void next(FastCgiClient client, FastCgiRequest request, long end, Result result,
            CountDownLatch done) {
        long sent = System.nanoTime();
        if (sent >= end) {
            done.countDown();
            return;
        }
        client.executeAsync(request).whenComplete((FastCgiResponse response, Throwable failure) -> {
            boolean error = failure != null || response.status() >= 500;
            result.record(System.nanoTime() - sent, failure, error);
            next(client, request, end, result, done);
        });
    }

    /** Counts and latencies; recorded from the client's I/O threads without a lock. */
    private static final class Result {
        private final LatencyHistogram latencies = new LatencyHistogram();
        private final LongAdder errors = new LongAdder();
        private final AtomicReference<Throwable> firstError = new AtomicReference<>();
        private double seconds;

        void record(long nanos, Throwable failure, boolean error) {
            latencies.record(nanos);
            if (error) {
                errors.increment();
                if (failure != null) {
                    firstError.compareAndSet(null, failure);
                }
            }
        }

        long requests() {
            return latencies.count();
        }

        long errors() {
            return errors.sum();
        }

        Throwable firstError() {
            return firstError.get();
        }

        double percentile(double p) {
            return latencies.percentileMillis(p);
        }
    }
}
