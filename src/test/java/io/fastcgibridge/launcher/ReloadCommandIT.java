package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reload --pid-file F} confirms: it asks serve through the control socket beside F and exits
 * 0 only once the reload happened, also where SIGHUP cannot arrive ({@code nohup}), and 1 with the
 * reason otherwise; the socket answers nobody but serve's own user.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(180)
class ReloadCommandIT {

    @Test
    void reloadConfirmsARealReloadEvenWhenSighupWasIgnoredAtStart(PhpFpm harness, @TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("serve.pid");
        List<String> nohup = List.of("sh", "-c", "trap '' HUP; exec \"$@\"", "sh");
        try (ManagedServe serve = ManagedServe.start(nohup, dir, harness.documentRoot(), "--pid-file", pidFile.toString())) {
            assertEquals("Hello World", serve.get("/greeter.php").body(), serve.diagnostics());
            assertTrue(serve.diagnostics().contains("FCGI-0716 SIGHUP is ignored"), serve.diagnostics());
            Path control = pidFile.resolveSibling("serve.pid.sock");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(control)),
                    "the control socket must be its owner's only");
            ProcessHandle master = ProcessHandle.of(serve.managerPids().get(0)).orElseThrow();
            List<Long> workersBefore = master.children().map(ProcessHandle::pid).toList();

            ManagedServe.Ran reload = ManagedServe.runReload(List.of(), pidFile);

            assertEquals(0, reload.status(), reload.output() + serve.diagnostics());
            assertTrue(reload.output().contains("reloaded: PHP-FPM (pid " + master.pid() + ")"), reload.output());
            // Confirmed means done: the reload already happened when the command returns.
            List<String> events = serve.events();
            assertTrue(events.contains("after-reload reload command true"), events.toString());
            List<Long> workersAfter = master.children().map(ProcessHandle::pid).toList();
            assertFalse(workersAfter.isEmpty(), "PHP-FPM has no workers after the reload");
            assertEquals(List.of(), workersAfter.stream().filter(workersBefore::contains).toList(),
                    "workers from before the reload still serve: " + workersBefore + " -> " + workersAfter);
            assertEquals("Hello World", serve.get("/greeter.php").body(), serve.diagnostics());
        }
    }

    @Test
    void aReloadThatPhpFpmDoesNotSurviveExits1WithTheReasonAndServeRecovers(PhpFpm harness, @TempDir Path dir)
            throws Exception {
        Path pidFile = dir.resolve("serve.pid");
        try (ManagedServe serve = ManagedServe.start(dir, harness.documentRoot(), "--pid-file", pidFile.toString())) {
            assertEquals("Hello World", serve.get("/greeter.php").body(), serve.diagnostics());
            String address = serve.events().stream().filter(l -> l.startsWith("manager-start ")).findFirst()
                    .orElseThrow().split(" ")[2];
            // A pool configuration PHP-FPM cannot read: its re-execution fails, as with a bad php-fpm.conf.
            Path config = Path.of(address.substring("unix://".length())).resolveSibling("php-fpm.conf");
            Files.writeString(config, "[broken\n");

            ManagedServe.Ran reload = ManagedServe.runReload(List.of(), pidFile);

            assertEquals(1, reload.status(), reload.output());
            assertTrue(reload.output().contains("reload failed: PHP-FPM did not reload"), reload.output());
            assertTrue(reload.output().contains("failed to load configuration file"), reload.output());
            assertTrue(serve.events().contains("after-reload reload command false"), serve.diagnostics());
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (count(serve.events(), "manager-start ") < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals("Hello World", serve.get("/greeter.php").body(),
                    "serve did not restart PHP-FPM from its own configuration\n" + serve.diagnostics());
        }
    }

    @Test
    void reloadOfAProcessThatIsNotAServeExits1AndLeavesItAlone(@TempDir Path dir) throws Exception {
        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            Path pidFile = dir.resolve("serve.pid");
            Files.writeString(pidFile, other.pid() + "\n");

            ManagedServe.Ran reload = ManagedServe.runReload(List.of(), pidFile);

            assertEquals(1, reload.status(), reload.output());
            assertTrue(reload.output().contains("has no control socket"), reload.output());
            assertTrue(reload.output().contains("nothing was reloaded"), reload.output());
            assertFalse(other.waitFor(500, TimeUnit.MILLISECONDS), "reload signalled a process that is not serve");
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void theControlSocketIsOutOfReachOfOtherUsers(PhpFpm harness, @TempDir Path dir) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv"))
                && Files.readString(Path.of("/etc/passwd")).contains("\nnobody:"), "needs root, setpriv and nobody");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path pidFile = dir.resolve("serve.pid");
        List<String> asNobody = List.of("/usr/bin/setpriv", "--reuid", "nobody", "--regid", "nogroup", "--clear-groups");
        try (ManagedServe serve = ManagedServe.start(dir, harness.documentRoot(), "--pid-file", pidFile.toString())) {
            ManagedServe.Ran refused = ManagedServe.runReload(asNobody, pidFile);
            assertEquals(1, refused.status(), refused.output());
            assertTrue(refused.output().contains("Permission denied"), refused.output());

            // Even through a socket file opened to all, serve answers only its own user (and root).
            Path control = pidFile.resolveSibling("serve.pid.sock");
            Files.setPosixFilePermissions(control, PosixFilePermissions.fromString("rw-rw-rw-"));
            ManagedServe.Ran stranger = ManagedServe.runReload(asNobody, pidFile);
            assertEquals(1, stranger.status(), stranger.output());
            assertTrue(stranger.output().contains("serve runs as another user"), stranger.output());

            assertTrue(serve.events().stream().noneMatch(line -> line.startsWith("before-reload ")), serve.diagnostics());
            assertTrue(serve.diagnostics().contains("FCGI-0718"), serve.diagnostics());
        }
    }

    private static long count(List<String> lines, String prefix) {
        return lines.stream().filter(line -> line.startsWith(prefix)).count();
    }
}
