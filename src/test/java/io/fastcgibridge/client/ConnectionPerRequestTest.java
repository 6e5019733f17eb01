package io.fastcgibridge.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Requests without FCGI_KEEP_CONN (the front's default, as nginx): each gets a connection of its
 * own that closes at END_REQUEST, its pool slot frees at once, max-connections still bounds how
 * many run, and opening a connection per request does not allocate a connection's buffers anew.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionPerRequestTest {

    private static final long MIB = 1 << 20;

    private static FastCgiClient client(PhpFpm fpm, int maxConnections) {
        return new FastCgiClient(ClientSettings.forBackends(fpm.unixAddress()).toBuilder()
                .maxConnections(maxConnections).build());
    }

    @Test
    void eachSlotFreesAtEndRequestAndMaxConnectionsStillBoundsConcurrency(PhpFpm fpm) throws Exception {
        try (FastCgiClient client = client(fpm, 2)) {
            for (int i = 0; i < 50; i++) {
                FastCgiResponse response = client.execute(
                        FastCgiRequest.post(fpm.script("greeter.php"), Map.of("who", "#" + i)).withKeepConn(false));
                assertEquals("Hello #" + i, response.bodyText());
            }

            List<CompletableFuture<FastCgiResponse>> running = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                running.add(client.executeAsync(FastCgiRequest.get(fpm.script("overlap.php"))
                        .withUri("/overlap.php?us=400000").withKeepConn(false)));
            }
            List<long[]> spans = new ArrayList<>();
            for (CompletableFuture<FastCgiResponse> response : running) {
                String[] times = response.get(30, TimeUnit.SECONDS).bodyText().split(" ");
                spans.add(new long[] {Long.parseLong(times[0]), Long.parseLong(times[1])});
            }
            assertEquals(2, mostAtOnce(spans), "requests running at once in PHP with max-connections 2");
        }
    }

    @Test
    void twoHundredConnectionsOneAfterAnotherAllocateLessThanTheirBuffersWould(PhpFpm fpm) throws Exception {
        try (FastCgiClient client = client(fpm, 4)) {
            FastCgiRequest request = FastCgiRequest.get(fpm.script("pid.php")).withKeepConn(false);
            for (int i = 0; i < 20; i++) {
                client.execute(request); // warm up: classes, JIT, the loops' first buffers
            }

            long before = allocatedByAllThreads();
            for (int i = 0; i < 200; i++) {
                assertEquals(200, client.execute(request).status());
            }
            long allocated = allocatedByAllThreads() - before;

            // A connection's send buffer alone is 64.5 KiB of heap: 200 of them are 12.6 MiB.
            assertTrue(allocated < 6 * MIB, (allocated / MIB) + " MiB allocated for 200 requests");
        }
    }

    private static long allocatedByAllThreads() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return Arrays.stream(threads.getThreadAllocatedBytes(threads.getAllThreadIds())).filter(n -> n > 0).sum();
    }

    /** The largest number of spans that overlap at one instant. */
    private static int mostAtOnce(List<long[]> spans) {
        int most = 0;
        for (long[] span : spans) {
            int atOnce = 0;
            for (long[] other : spans) {
                if (other[0] <= span[0] && span[0] < other[1]) {
                    atOnce++;
                }
            }
            most = Math.max(most, atOnce);
        }
        return most;
    }
}
