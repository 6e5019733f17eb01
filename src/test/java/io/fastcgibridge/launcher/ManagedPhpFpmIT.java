package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} without {@code --fpm}: the launcher starts, supervises, restarts and stops a PHP-FPM
 * of its own. The harness's PHP-FPM only lends its document root (the fixture scripts); every
 * request here goes to the managed one.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(180)
class ManagedPhpFpmIT {

    @Test
    void servesThroughItsOwnPhpFpmRunningAsAChildOfServe(PhpFpm harness, @TempDir Path dir) throws Exception {
        try (ManagedServe serve = ManagedServe.start(dir, harness.documentRoot())) {
            HttpResponse<String> greeting = serve.get("/greeter.php");
            assertEquals(200, greeting.statusCode(), serve.diagnostics());
            assertEquals("Hello World", greeting.body());

            long master = serve.managerPids().get(0);
            assertNotEquals(harness.pid(), master, "the harness's PHP-FPM answered, not a managed one");
            ProcessHandle handle = ProcessHandle.of(master).orElseThrow(
                    () -> new AssertionError("the recorded PHP-FPM " + master + " is not running"));
            String command = handle.info().command().orElse("");
            assertTrue(command.contains("php-fpm"), "pid " + master + " runs " + command);
            assertTrue(serve.process().toHandle().descendants().anyMatch(p -> p.pid() == master),
                    "PHP-FPM " + master + " is not a descendant of serve " + serve.process().pid());

            long worker = Long.parseLong(serve.get("/pid.php").body().trim());
            assertTrue(handle.descendants().anyMatch(p -> p.pid() == worker),
                    "the PHP worker " + worker + " that answered is not a child of the managed master " + master);
        }
    }

    @Test
    void aPhpFpmKilledWithSigkillIsRestartedWithBackOff(PhpFpm harness, @TempDir Path dir) throws Exception {
        try (ManagedServe serve = ManagedServe.start(dir, harness.documentRoot())) {
            assertEquals("Hello World", serve.get("/greeter.php").body(), serve.diagnostics());
            long first = serve.managerPids().get(0);

            List<ProcessHandle> killed = PhpFpmCrash.killTree(ProcessHandle.of(first).orElseThrow());
            long killedAt = System.nanoTime();

            HttpResponse<String> answer = null;
            while (System.nanoTime() - killedAt < Duration.ofSeconds(10).toNanos()) {
                try {
                    answer = serve.get("/greeter.php");
                    if (answer.statusCode() == 200 && answer.body().equals("Hello World")) {
                        break;
                    }
                } catch (IOException e) {
                    answer = null;
                }
                Thread.sleep(100);
            }
            assertTrue(answer != null && answer.statusCode() == 200 && answer.body().equals("Hello World"),
                    "no greeting within 10 s of the kill; last answer " + (answer == null ? "none"
                            : answer.statusCode() + " " + answer.body()) + "\n" + serve.diagnostics());

            List<String> events = serve.awaitEvents(lines -> lines.stream().filter(l -> l.startsWith("manager-start "))
                    .count() >= 2, Duration.ofSeconds(5));
            assertTrue(events.contains("worker-error PROCESS_EXITED 137 9"), events.toString());
            List<Long> masters = serve.managerPids();
            assertEquals(2, masters.size(), events.toString());
            assertNotEquals(first, masters.get(1), "the restarted PHP-FPM has the killed one's pid");
            assertTrue(ProcessHandle.of(masters.get(1)).map(ProcessHandle::isAlive).orElse(false),
                    "the restarted PHP-FPM is not running");
            assertTrue(killed.stream().noneMatch(ProcessHandle::isAlive), "a killed PHP-FPM process came back");
            assertTrue(events.indexOf("worker-error PROCESS_EXITED 137 9") < lastIndexStartingWith(events, "manager-start "),
                    "the restart was recorded before the death: " + events);
        }
    }

    @Test
    void withoutPhpFpmOnTheMachineServeSaysWhatToInstallAndExits(@TempDir Path dir) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ManagedServe.java(), "-Dfastcgi.bridge.fpm-folders=/nonexistent-dir",
                "-jar", ManagedServe.JAR.toString(), "serve", "--docroot", dir.toString(), "--port", "0");
        builder.environment().remove("PHP_FPM");
        builder.environment().put("PATH", "/nonexistent-dir");
        ManagedServe.Ran serve = ManagedServe.run(builder, dir.resolve("serve.out"), Duration.ofSeconds(15));

        assertNotEquals(0, serve.status(), serve.output());
        assertTrue(serve.output().contains("apt-get install php-fpm"), serve.output());
        assertFalse(serve.output().contains("listening on"), serve.output());
    }

    @Test
    void sigtermStopsTheManagedPhpFpmAndRemovesItsPrivateFolder(PhpFpm harness, @TempDir Path dir) throws Exception {
        try (ManagedServe serve = ManagedServe.start(dir, harness.documentRoot())) {
            assertEquals("Hello World", serve.get("/greeter.php").body(), serve.diagnostics());
            String startLine = serve.events().stream().filter(l -> l.startsWith("manager-start ")).findFirst().orElseThrow();
            String address = startLine.split(" ")[2];
            assertTrue(address.startsWith("unix://"), startLine);
            Path socket = Path.of(address.substring("unix://".length()));
            assertTrue(Files.exists(socket), "no socket at " + socket);
            // Handles taken while alive: isAlive() compares start times, so a reused pid does not count.
            ProcessHandle master = ProcessHandle.of(serve.managerPids().get(0)).orElseThrow();
            List<ProcessHandle> phpFpm = new ArrayList<>(master.descendants().toList());
            phpFpm.add(master);
            assertTrue(phpFpm.size() > 1, "PHP-FPM has no workers: " + phpFpm);

            serve.process().destroy();

            assertTrue(serve.process().waitFor(30, TimeUnit.SECONDS), "serve did not stop on SIGTERM");
            assertEquals(0, serve.process().exitValue(), serve.diagnostics());
            assertEquals(List.of(), phpFpm.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList(),
                    "PHP-FPM processes outlived serve");
            List<String> events = serve.events();
            assertTrue(events.contains("manager-stop " + master.pid() + " 0"), events.toString());
            assertFalse(Files.exists(socket.getParent()), "the private folder " + socket.getParent() + " is left behind");
        }
    }

    @Test
    void aMasterKilledAloneTakesItsWorkersWithItAndRequestsGoOnThroughTheNewOne(PhpFpm harness, @TempDir Path dir)
            throws Exception {
        try (ManagedServe serve = ManagedServe.start(dir, harness.documentRoot())) {
            assertEquals("Hello World", serve.get("/greeter.php").body(), serve.diagnostics());
            ProcessHandle first = ProcessHandle.of(serve.managerPids().get(0)).orElseThrow();
            List<ProcessHandle> oldWorkers = first.descendants().toList();
            assertFalse(oldWorkers.isEmpty(), "PHP-FPM has no workers");

            first.destroyForcibly();

            assertEquals(List.of(), awaitGone(oldWorkers, Duration.ofSeconds(5)),
                    "workers of the killed master still run 5 s later\n" + serve.diagnostics());
            HttpResponse<String> greeting = awaitGreeting(serve, Duration.ofSeconds(10));
            assertEquals("Hello World", greeting.body(), serve.diagnostics());
            // The new master may answer a moment before its start event is recorded.
            List<Long> masters = awaitManagers(serve, 2, Duration.ofSeconds(5));
            ProcessHandle second = ProcessHandle.of(masters.get(1)).orElseThrow();
            long worker = Long.parseLong(serve.get("/pid.php").body().trim());
            assertTrue(second.descendants().anyMatch(p -> p.pid() == worker),
                    "worker " + worker + " answered, not one of the new master " + second.pid());

            List<ProcessHandle> all = new ArrayList<>(second.descendants().toList());
            all.add(second);
            serve.process().destroy();
            assertTrue(serve.process().waitFor(30, TimeUnit.SECONDS), "serve did not stop on SIGTERM");
            assertEquals(List.of(), awaitGone(all, Duration.ofSeconds(5)), "PHP-FPM processes outlived serve");
        }
    }

    @Test
    void aServeKilledWithSigkillTakesItsPhpFpmWithIt(PhpFpm harness, @TempDir Path dir) throws Exception {
        try (ManagedServe serve = ManagedServe.start(dir, harness.documentRoot())) {
            assertEquals("Hello World", serve.get("/greeter.php").body(), serve.diagnostics());
            ProcessHandle master = ProcessHandle.of(serve.managerPids().get(0)).orElseThrow();
            List<ProcessHandle> phpFpm = new ArrayList<>(master.descendants().toList());
            phpFpm.add(master);

            serve.process().destroyForcibly();

            assertTrue(serve.process().waitFor(10, TimeUnit.SECONDS), "serve survived SIGKILL");
            assertEquals(List.of(), awaitGone(phpFpm, Duration.ofSeconds(10)),
                    "PHP-FPM processes outlived a serve killed with SIGKILL");
            // What a killed serve cannot remove itself: PHP-FPM's private folder.
            String address = serve.events().stream().filter(l -> l.startsWith("manager-start ")).findFirst()
                    .orElseThrow().split(" ")[2];
            deleteTree(Path.of(address.substring("unix://".length())).getParent());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static HttpResponse<String> awaitGreeting(ManagedServe serve, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> answer = null;
        while (System.nanoTime() < deadline) {
            try {
                answer = serve.get("/greeter.php");
                if (answer.statusCode() == 200) {
                    return answer;
                }
            } catch (IOException e) {
                answer = null;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no greeting within " + timeout.toSeconds() + " s; last answer "
                + (answer == null ? "none" : answer.statusCode() + " " + answer.body()) + "\n" + serve.diagnostics());
    }

    private static List<Long> awaitManagers(ManagedServe serve, int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Long> masters = serve.managerPids();
        while (masters.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            masters = serve.managerPids();
        }
        assertEquals(count, masters.size(), serve.diagnostics());
        return masters;
    }

    /** Waits until none of {@code processes} runs (zombies count as gone); returns those still running. */
    static List<Long> awaitGone(List<ProcessHandle> processes, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Long> running = running(processes);
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            running = running(processes);
        }
        return running;
    }

    private static List<Long> running(List<ProcessHandle> processes) {
        return processes.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .filter(pid -> !hasExited(pid)).toList();
    }

    /** Gone, or a zombie: exited but not yet collected by its parent (init, for orphans). */
    private static boolean hasExited(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 1).trim().startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    private static int lastIndexStartingWith(List<String> lines, String prefix) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

}
