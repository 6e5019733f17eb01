import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simplest FastCGI client that can be fast: one platform thread per kept connection, blocking
 * reads and writes, one request at a time, nothing shared. compare.sh runs it beside
 * {@code fastcgi-bridge.jar bench} on the same pool, as the ceiling a Java client can reach.
 *
 * <pre>java BlockingClient.java ADDRESS SCRIPT [CONNECTIONS] [SECONDS] [WARMUP_SECONDS]</pre>
 *
 * ADDRESS is {@code unix:///path.sock}, {@code /path.sock} or {@code host:port}. Prints one line:
 * {@code N requests, N errors: R req/s, p50 X ms, p99 Y ms, client CPU Z µs/req}.
 */
public final class BlockingClient {

    private static final int BEGIN_REQUEST = 1;
    private static final int END_REQUEST = 3;
    private static final int PARAMS = 4;
    private static final int STDIN = 5;
    private static final int MAX_SAMPLES = 1 << 22;

    private final SocketAddress address;
    private final byte[] request;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final long[] samples = new long[MAX_SAMPLES];
    private final AtomicLong sampled = new AtomicLong();
    private volatile boolean counting;
    private volatile boolean running = true;

    private BlockingClient(SocketAddress address, byte[] request) {
        this.address = address;
        this.request = request;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java BlockingClient.java ADDRESS SCRIPT [CONNECTIONS] [SECONDS] [WARMUP_SECONDS]");
            System.exit(2);
        }
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        BlockingClient client = new BlockingClient(address(args[0]), encode(args[1]));
        Thread[] threads = new Thread[connections];
        for (int i = 0; i < connections; i++) {
            threads[i] = new Thread(client::loop, "blocking-" + i);
            threads[i].start();
        }
        Thread.sleep(warmup * 1000L);
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        client.counting = true;
        Thread.sleep(seconds * 1000L);
        client.counting = false;
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpu = processCpuNanos() - cpuBefore;
        client.running = false;
        for (Thread thread : threads) {
            thread.join(5000);
        }
        client.print(elapsed, cpu);
    }

    private void loop() {
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        while (running) {
            try (SocketChannel channel = SocketChannel.open(address)) {
                while (running) {
                    long begin = System.nanoTime();
                    channel.write(ByteBuffer.wrap(request));
                    readUntilEnd(channel, in);
                    if (counting) {
                        requests.incrementAndGet();
                        long slot = sampled.getAndIncrement();
                        if (slot < MAX_SAMPLES) {
                            samples[(int) slot] = System.nanoTime() - begin;
                        }
                    }
                }
            } catch (IOException e) {
                if (counting) {
                    errors.incrementAndGet();
                }
            }
        }
    }

    /** Reads records until END_REQUEST, skipping their content: the reference measures the round trip. */
    private static void readUntilEnd(SocketChannel channel, ByteBuffer in) throws IOException {
        in.clear().limit(0);
        while (true) {
            fill(channel, in, 8);
            int type = in.get(in.position() + 1) & 0xff;
            int length = ((in.get(in.position() + 4) & 0xff) << 8) | (in.get(in.position() + 5) & 0xff);
            int padding = in.get(in.position() + 6) & 0xff;
            int total = 8 + length + padding;
            if (type == END_REQUEST) {
                fill(channel, in, total);
                return;
            }
            while (total > 0) {
                fill(channel, in, 1);
                int step = Math.min(total, in.remaining());
                in.position(in.position() + step);
                total -= step;
            }
        }
    }

    private static void fill(SocketChannel channel, ByteBuffer in, int needed) throws IOException {
        while (in.remaining() < needed) {
            in.compact();
            if (channel.read(in) < 0) {
                throw new IOException("PHP-FPM closed the connection");
            }
            in.flip();
        }
    }

    private void print(double elapsed, long cpuNanos) {
        long n = Math.min(sampled.get(), MAX_SAMPLES);
        long[] sorted = Arrays.copyOf(samples, (int) n);
        Arrays.sort(sorted);
        long count = Math.max(1, requests.get());
        System.out.printf(java.util.Locale.ROOT,
                "%d requests, %d errors: %.0f req/s, p50 %.2f ms, p99 %.2f ms, client CPU %d µs/req%n",
                requests.get(), errors.get(), requests.get() / elapsed, percentile(sorted, 0.50),
                percentile(sorted, 0.99), cpuNanos / 1000 / count);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, sorted.length * p)] / 1e6;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static SocketAddress address(String text) {
        if (text.startsWith("unix://")) {
            return UnixDomainSocketAddress.of(text.substring("unix://".length()));
        }
        if (text.startsWith("/")) {
            return UnixDomainSocketAddress.of(text);
        }
        int colon = text.lastIndexOf(':');
        return new InetSocketAddress(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    }

    /** One request with the connection kept: BEGIN_REQUEST, the params, an empty PARAMS and STDIN. */
    private static byte[] encode(String script) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("SCRIPT_FILENAME", script);
        params.put("SCRIPT_NAME", "/" + script.substring(script.lastIndexOf('/') + 1));
        params.put("REQUEST_METHOD", "GET");
        params.put("REQUEST_URI", params.get("SCRIPT_NAME"));
        params.put("QUERY_STRING", "");
        params.put("SERVER_PROTOCOL", "HTTP/1.1");
        params.put("GATEWAY_INTERFACE", "CGI/1.1");
        params.put("SERVER_NAME", "127.0.0.1");
        params.put("SERVER_PORT", "80");
        params.put("REMOTE_ADDR", "127.0.0.1");
        ByteBuffer body = ByteBuffer.allocate(8192);
        params.forEach((name, value) -> {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            length(body, n.length);
            length(body, v.length);
            body.put(n).put(v);
        });
        body.flip();
        ByteBuffer out = ByteBuffer.allocate(8 * 4 + 8 + body.remaining() + 8);
        header(out, BEGIN_REQUEST, 8).put(new byte[] {0, 1, 1, 0, 0, 0, 0, 0});
        header(out, PARAMS, body.remaining()).put(body);
        header(out, PARAMS, 0);
        header(out, STDIN, 0);
        return Arrays.copyOf(out.array(), out.position());
    }

    /** A name or value length: one byte below 128, else four with the high bit set. */
    private static void length(ByteBuffer out, int length) {
        if (length < 128) {
            out.put((byte) length);
        } else {
            out.putInt(length | 0x80000000);
        }
    }

    private static ByteBuffer header(ByteBuffer out, int type, int length) {
        return out.put((byte) 1).put((byte) type).put((byte) 0).put((byte) 1)
                .put((byte) (length >> 8)).put((byte) length).put((byte) 0).put((byte) 0);
    }
}
