package io.fastcgibridge.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(PhpFpmExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamingTest {

    private static final int MIB = 1 << 20;

    private PhpFpm fpm;
    private FastCgiClient client;

    @BeforeAll
    void connect(PhpFpm fpm) {
        this.fpm = fpm;
        client = new FastCgiClient(ClientSettings.forBackends(fpm.tcpAddress()));
    }

    @AfterAll
    void close() {
        client.close();
    }

    @Test
    void tenMebibytePostReachesPhpIntact() throws Exception {
        byte[] body = new byte[10 * MIB];
        new Random(42).nextBytes(body);

        FastCgiResponse response = client.execute(FastCgiRequest.get(fpm.script("md5.php"))
                .withBody("application/octet-stream", body));

        assertEquals(md5(body) + " " + body.length, response.bodyText());
    }

    @Test
    void aFileBodyAndAStreamBodyReachPhpIntact(@TempDir Path dir) throws Exception {
        byte[] body = new byte[3 * MIB + 17];
        new Random(7).nextBytes(body);
        Path file = Files.write(dir.resolve("upload.bin"), body);

        FastCgiResponse fromFile = client.execute(FastCgiRequest.get(fpm.script("md5.php"))
                .withBody("application/octet-stream", RequestBody.of(file)));
        FastCgiResponse fromStream = client.execute(FastCgiRequest.get(fpm.script("md5.php"))
                .withBody("application/octet-stream", RequestBody.of(new ByteArrayInputStream(body), body.length)));

        assertEquals(md5(body) + " " + body.length, fromFile.bodyText());
        assertEquals(md5(body) + " " + body.length, fromStream.bodyText());
    }

    @Test
    void fiftyMebibyteResponseStreamsThroughASlowSinkWithoutPilingUp() throws Exception {
        ScheduledExecutorService consumer = Executors.newSingleThreadScheduledExecutor();
        try {
            PatternCheckingSink sink = new PatternCheckingSink(consumer);
            client.send(FastCgiRequest.get(fpm.script("big.php")).withUri("/big.php?mib=50"), sink);

            assertEquals(50L * MIB, sink.done.get(60, TimeUnit.SECONDS));
            assertEquals(0, sink.chunksWhilePaused, "the client read on while the sink said not now");
            assertTrue(sink.pauses > 10, "the sink paused the stream " + sink.pauses + " times");
        } finally {
            consumer.shutdownNow();
        }
    }

    @Test
    void fiftyMebibyteResponseStreamsInASixteenMebibyteHeap() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx16m", "-cp", System.getProperty("java.class.path"), StreamToCounter.class.getName(),
                fpm.unixAddress(), fpm.script("big.php"), "50")
                .redirectErrorStream(true)
                .start();
        String output = new String(child.getInputStream().readAllBytes()).trim();

        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), output);
        assertEquals(Long.toString(50L * MIB), output);
    }

    static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    /** Streams big.php to a sink that counts and checks bytes, in a small heap; prints the count. */
    public static final class StreamToCounter {
        public static void main(String[] args) throws Exception {
            try (FastCgiClient client = new FastCgiClient(ClientSettings.forBackends(args[0]))) {
                PatternCheckingSink sink = new PatternCheckingSink(null);
                client.send(FastCgiRequest.get(args[1]).withUri("/big.php?mib=" + args[2]), sink);
                System.out.println(sink.done.get(60, TimeUnit.SECONDS));
            }
        }
    }

    /**
     * Checks every byte against big.php's pattern (byte i is i % 251). With a consumer it says
     * "not now" after every fourth chunk and resumes a moment later from another thread.
     */
    static final class PatternCheckingSink implements ResponseSink {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        private final ScheduledExecutorService consumer;
        private FastCgiCall call;
        private long received;
        private int chunks;
        private volatile boolean paused;
        int pauses;
        int chunksWhilePaused;

        PatternCheckingSink(ScheduledExecutorService consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onStart(FastCgiCall started) {
            call = started;
        }

        @Override
        public void onHeaders(ResponseHead head) {
            if (head.status() != 200) {
                done.completeExceptionally(new AssertionError("status " + head.status()));
            }
        }

        @Override
        public boolean onBody(ByteBuffer chunk) {
            if (paused) {
                chunksWhilePaused++;
            }
            while (chunk.hasRemaining()) {
                if ((chunk.get() & 0xFF) != received % 251) {
                    done.completeExceptionally(new AssertionError("wrong byte at " + received));
                    call.cancel();
                    return false;
                }
                received++;
            }
            if (consumer != null && ++chunks % 4 == 0) {
                paused = true;
                pauses++;
                consumer.schedule(() -> {
                    paused = false;
                    call.resume();
                }, 1, TimeUnit.MILLISECONDS);
                return false;
            }
            return true;
        }

        @Override
        public void onComplete(int appStatus) {
            done.complete(received);
        }

        @Override
        public void onFailure(FastCgiException failure) {
            done.completeExceptionally(failure);
        }
    }
}
