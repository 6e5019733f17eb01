package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The life of a {@code serve} with its managed PHP-FPM as an operator sees it: SIGTERM drains,
 * reloads (the {@code reload} command and SIGHUP) under load lose nothing, and a {@code serve} that
 * cannot start or reload says so with its exit status.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(180)
class LifecycleIT {

    /** {@code serve}'s grace period for requests in flight. */
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final int CLIENTS = 4;
    private static final int MAX_REQUESTS_PER_CLIENT = 20_000;

    @Test
    void sigtermLetsARequestInFlightFinishThenStops(PhpFpm harness, @TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("serve.pid");
        try (ManagedServe serve = ManagedServe.start(dir, harness.documentRoot(), "--pid-file", pidFile.toString())) {
            assertEquals(Long.toString(serve.process().pid()), Files.readString(pidFile).trim());
            // Warm: the connection and a PHP worker are up, so the slow request is surely in flight below.
            assertEquals("Hello World", serve.get("/greeter.php").body(), serve.diagnostics());

            CompletableFuture<HttpResponse<String>> slow = serve.http().sendAsync(serve.request("/sleep.php?s=2"),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(300);
            assertFalse(slow.isDone(), "the slow request finished early: " + slow);
            assertTrue(Files.exists(pidFile.resolveSibling("serve.pid.sock")), "no control socket beside the PID file");
            serve.process().destroy();

            HttpResponse<String> slept = slow.get(GRACE.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, slept.statusCode(), serve.diagnostics());
            assertEquals("slept", slept.body());
            assertTrue(serve.process().waitFor(GRACE.toSeconds(), TimeUnit.SECONDS),
                    "serve did not stop within the " + GRACE.toSeconds() + " s grace period\n" + serve.diagnostics());
            assertEquals(0, serve.process().exitValue(), serve.diagnostics());
            assertFalse(Files.exists(pidFile), "the PID file outlived serve");
            assertFalse(Files.exists(pidFile.resolveSibling("serve.pid.sock")), "the control socket outlived serve");
            List<String> events = serve.events();
            int shutdown = events.indexOf("server-shutdown");
            int managerStop = indexStartingWith(events, "manager-stop ");
            assertTrue(shutdown >= 0 && managerStop > shutdown,
                    "expected server-shutdown, then manager-stop: " + events);
        }
    }

    @Test
    void reloadsUnderSteadyLoadLoseNoRequest(PhpFpm harness, @TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("serve.pid");
        try (ManagedServe serve = ManagedServe.start(dir, harness.documentRoot(), "--pid-file", pidFile.toString())) {
            assertEquals("Hello World", serve.get("/greeter.php").body(), serve.diagnostics());
            AtomicBoolean loading = new AtomicBoolean(true);
            AtomicInteger answered = new AtomicInteger();
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Thread client = new Thread(() -> {
                    for (int n = 0; n < MAX_REQUESTS_PER_CLIENT && loading.get(); n++) {
                        try {
                            HttpResponse<String> response = serve.get("/greeter.php");
                            if (response.statusCode() == 200 && response.body().equals("Hello World")) {
                                answered.incrementAndGet();
                            } else {
                                failures.add(response.statusCode() + " " + response.body());
                            }
                        } catch (IOException e) {
                            failures.add(e.toString());
                        } catch (InterruptedException e) {
                            failures.add("interrupted");
                            return;
                        }
                    }
                }, "load-" + i);
                client.setDaemon(true);
                clients.add(client);
            }
            long loadStarted = System.nanoTime();
            clients.forEach(Thread::start);

            Thread.sleep(500);
            String first = reload(pidFile);
            Thread.sleep(1000);
            String second = reload(pidFile);
            Thread.sleep(1000);
            Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(serve.process().pid())).start();
            assertTrue(hup.waitFor(10, TimeUnit.SECONDS) && hup.exitValue() == 0, "kill -HUP failed");

            List<String> events = serve.awaitEvents(lines -> count(lines, "after-reload ") >= 3, Duration.ofSeconds(60));
            // Some load after the last reload too, and about 4 s in all.
            Thread.sleep(Math.max(500, 4000 - Duration.ofNanos(System.nanoTime() - loadStarted).toMillis()));
            loading.set(false);
            for (Thread client : clients) {
                client.join(30_000);
                assertFalse(client.isAlive(), client.getName() + " is still sending");
            }

            assertTrue(first.contains("reloaded: PHP-FPM"), first);
            assertTrue(second.contains("reloaded: PHP-FPM"), second);
            assertEquals(List.of(), List.copyOf(failures), answered.get() + " requests answered; failures above\n"
                    + serve.diagnostics());
            assertTrue(answered.get() > CLIENTS * 10, "too little load to tell: " + answered.get() + " requests");
            assertEquals(3, count(events, "before-reload "), events.toString());
            assertEquals(3, events.stream().filter(l -> l.startsWith("after-reload ") && l.endsWith(" true")).count(),
                    events.toString());
            assertEquals(1, count(events, "manager-start "), "PHP-FPM was restarted rather than reloaded: " + events);
            assertEquals(0, count(events, "worker-error "), events.toString());
        }
    }

    @Test
    void reloadWithThePidFileOfNoRunningProcessExits1AndSaysSo(@TempDir Path dir) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        Path pidFile = dir.resolve("serve.pid");
        Files.writeString(pidFile, gone.pid() + "\n");

        ManagedServe.Ran reload = runReload(pidFile);

        assertEquals(1, reload.status(), reload.output());
        assertTrue(reload.output().contains("no running serve with process id " + gone.pid()), reload.output());
        assertFalse(reload.output().contains("reloaded"), reload.output());
    }

    @Test
    void aPortAlreadyTakenMakesServeExitNonZeroAndStopItsPhpFpm(PhpFpm harness, @TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path log = dir.resolve("serve.out");
            Process serve = new ProcessBuilder(ManagedServe.java(), "-jar", ManagedServe.JAR.toString(), "serve",
                    "--docroot", harness.documentRoot().toString(), "--port", Integer.toString(taken.getLocalPort()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            List<ProcessHandle> started = new ArrayList<>();
            boolean exited;
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (serve.isAlive() && System.nanoTime() < deadline) {
                    serve.toHandle().descendants().filter(p -> !started.contains(p)).forEach(started::add);
                    Thread.sleep(50);
                }
                exited = !serve.isAlive();
            } finally {
                serve.destroy();
                if (!serve.waitFor(20, TimeUnit.SECONDS)) {
                    serve.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                started.forEach(ProcessHandle::destroyForcibly);
            }
            String said = Files.readString(log);
            assertTrue(exited, "serve kept running although port " + taken.getLocalPort() + " is taken:\n" + said);
            assertTrue(serve.exitValue() != 0, said);
            assertFalse(said.contains("listening on"), said);
            assertEquals(List.of(), started.stream().filter(ProcessHandle::isAlive).toList(),
                    "PHP-FPM outlived a serve that could not start");
        }
    }

    /** Runs {@code reload --pid-file F}; asserts it exits 0 and returns what it printed. */
    private static String reload(Path pidFile) throws Exception {
        ManagedServe.Ran reload = runReload(pidFile);
        assertEquals(0, reload.status(), reload.output());
        return reload.output();
    }

    private static ManagedServe.Ran runReload(Path pidFile) throws Exception {
        return ManagedServe.runReload(List.of(), pidFile);
    }

    private static long count(List<String> lines, String prefix) {
        return lines.stream().filter(line -> line.startsWith(prefix)).count();
    }

    private static int indexStartingWith(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
