package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmSettings;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bridge in front of two PHP-FPM masters: requests are spread over both, and losing one
 * (killed under load, or down from the start) costs at most the requests it was serving.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SeveralBackendsTest {

    private static final int CLIENTS = 8;

    @Test
    void requestsAreSpreadOverBothPhpFpms() throws Exception {
        try (PhpFpm a = PhpFpm.start(PhpFpmSettings.defaults());
             PhpFpm b = PhpFpm.start(PhpFpmSettings.defaults());
             BridgeServer bridge = bridge(a, a.unixAddress(), b.unixAddress())) {
            Map<Long, Integer> byMaster = new HashMap<>();
            for (int i = 0; i < 40; i++) {
                HttpResponse<String> response = bridge.get("/pid.php");
                assertEquals(200, response.statusCode(), response.body());
                long worker = Long.parseLong(response.body().trim());
                long master = ProcessHandle.of(worker).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)
                        .orElseThrow(() -> new AssertionError("no parent for worker " + worker));
                byMaster.merge(master, 1, Integer::sum);
            }

            assertEquals(Set.of(a.pid(), b.pid()), byMaster.keySet(),
                    "the masters of the responding workers, with requests per master " + byMaster);
            assertTrue(byMaster.getOrDefault(a.pid(), 0) >= 10 && byMaster.getOrDefault(b.pid(), 0) >= 10,
                    "round-robin left one PHP-FPM nearly idle: requests per master " + byMaster);
        }
    }

    @Test
    void onePhpFpmKilledUnderLoadCostsOnlyTheRequestsItWasServing() throws Exception {
        try (PhpFpm a = PhpFpm.start(PhpFpmSettings.defaults());
             PhpFpm b = PhpFpm.start(PhpFpmSettings.defaults());
             // Serves a's document root; b is the one killed.
             BridgeServer bridge = bridge(a, a.unixAddress(), b.unixAddress())) {
            HttpRequest greeter = bridge.request("/greeter.php").timeout(Duration.ofSeconds(10)).build();
            List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
            long begin = System.nanoTime();
            // The load goes on for 2 s after the kill, however long the kill itself takes.
            AtomicLong end = new AtomicLong(begin + Duration.ofSeconds(20).toNanos());
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> running = new ArrayList<>();
            long killStart;
            long killDone;
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    running.add(clients.submit(() -> {
                        while (System.nanoTime() - end.get() < 0) {
                            long started = System.nanoTime();
                            String result;
                            try {
                                HttpResponse<String> response = bridge.http().send(greeter,
                                        HttpResponse.BodyHandlers.ofString());
                                result = response.statusCode() + " " + response.body();
                            } catch (Exception e) {
                                result = e.toString();
                            }
                            outcomes.add(new Outcome(started, System.nanoTime(), result));
                        }
                        return null;
                    }));
                }
                Thread.sleep(1_000);
                killStart = System.nanoTime();
                b.kill();
                killDone = System.nanoTime();
                end.set(killDone + Duration.ofSeconds(2).toNanos());
                for (Future<?> client : running) {
                    client.get(20, TimeUnit.SECONDS);
                }
            } finally {
                end.set(System.nanoTime());
                clients.shutdownNow();
                assertTrue(clients.awaitTermination(15, TimeUnit.SECONDS), "client threads did not stop");
            }

            List<Outcome> all = List.copyOf(outcomes);
            List<Outcome> failures = all.stream().filter(o -> !o.ok()).toList();
            // In flight at the kill: started before it was over and ended after it began.
            long inFlightAtKill = all.stream().filter(o -> o.started - killDone <= 0 && o.ended - killStart >= 0)
                    .count();
            long settled = killDone + Duration.ofMillis(500).toNanos();
            List<Outcome> failedAfterKill = failures.stream().filter(o -> o.started - settled >= 0).toList();
            long successes = all.size() - failures.size();

            assertTrue(all.stream().anyMatch(o -> o.started - settled >= 0),
                    "no request started after the kill settled: the run proves nothing");
            assertEquals(List.of(), failedAfterKill.stream().map(o -> o.describe(begin)).toList(),
                    "requests started 500 ms after the kill must all succeed on the other PHP-FPM");
            assertTrue(failures.size() <= Math.min(CLIENTS, inFlightAtKill),
                    failures.size() + " failures, but only " + inFlightAtKill + " requests were in flight at the kill: "
                            + failures.stream().map(o -> o.describe(begin)).toList());
            assertTrue(successes > 100, "only " + successes + " successes");
        }
    }

    @Test
    void aPhpFpmDownFromTheStartIsInvisibleToClients(@TempDir Path dir) throws Exception {
        try (PhpFpm a = PhpFpm.start(PhpFpmSettings.defaults());
             BridgeServer bridge = bridge(a, "unix://" + dir.resolve("never-started.sock"), a.unixAddress())) {
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = bridge.get("/greeter.php");
                assertEquals(200, response.statusCode(), "request " + i + ": " + response.body());
                assertEquals("Hello World", response.body(), "request " + i);
            }
        }
    }

    private static BridgeServer bridge(PhpFpm root, String... backends) {
        return BridgeServer.start(Map.of(
                "docroot", List.of(root.documentRoot().toString()),
                "fpm", List.of(backends),
                "max-connections", List.of("4")));
    }

    private record Outcome(long started, long ended, String result) {
        boolean ok() {
            return result.equals("200 Hello World");
        }

        String describe(long begin) {
            return "[" + (started - begin) / 1_000_000 + "-" + (ended - begin) / 1_000_000 + " ms] " + result;
        }
    }
}
