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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whom PHP runs as under a launcher started as root: root, with a loud warning, unless
 * {@code --fpm-user} names another user. The tests that need root skip elsewhere.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(120)
class PhpFpmUserIT {

    private static final String ROOT_WARNING = "FCGI-0712 PHP runs as root";

    @Test
    void asRootWithoutFpmUserServeWarnsThatPhpRunsAsRoot(PhpFpm harness, @TempDir Path dir) throws Exception {
        assumeTrue(isRoot(), "needs root");
        try (ManagedServe serve = ManagedServe.start(dir, harness.documentRoot())) {
            long worker = Long.parseLong(serve.get("/pid.php").body().trim());
            assertEquals("root", userOf(worker));
            assertTrue(serve.diagnostics().contains(ROOT_WARNING), serve.diagnostics());
            assertTrue(serve.diagnostics().contains("--fpm-user"), serve.diagnostics());
        }
    }

    @Test
    void fpmUserRunsTheWorkersAsThatUser(@TempDir Path dir) throws Exception {
        assumeTrue(isRoot() && Files.readString(Path.of("/etc/passwd")).contains("\nnobody:"), "needs root and nobody");
        // The workers must be able to read the scripts: JUnit's temporary folders are private to root.
        Path docroot = Files.createDirectories(dir.resolve("www"));
        Files.writeString(docroot.resolve("pid.php"), "<?php echo getmypid();");
        for (Path path : new Path[] {dir, docroot}) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try (ManagedServe serve = ManagedServe.start(dir, docroot, "--fpm-user", "nobody")) {
            long worker = Long.parseLong(serve.get("/pid.php").body().trim());
            assertEquals("nobody", userOf(worker), serve.diagnostics());
            long master = serve.managerPids().get(0);
            assertEquals("root", userOf(master), "the master must stay root to manage its workers");
            assertFalse(serve.diagnostics().contains(ROOT_WARNING), serve.diagnostics());
        }
    }

    @Test
    void fpmUserWithAPhpFpmOfYourOwnIsAUsageError(PhpFpm harness, @TempDir Path dir) throws Exception {
        ManagedServe.Ran serve = ManagedServe.run(new ProcessBuilder(ManagedServe.java(), "-jar",
                ManagedServe.JAR.toString(), "serve", "--docroot", harness.documentRoot().toString(), "--port", "0",
                "--fpm", harness.unixAddress(), "--fpm-user", "nobody"), dir.resolve("serve.out"), Duration.ofSeconds(30));

        assertEquals(2, serve.status(), serve.output());
        assertTrue(serve.output().contains("--fpm-user is for the managed PHP-FPM"), serve.output());
        assertFalse(serve.output().contains("listening on"), serve.output());
    }

    private static String userOf(long pid) {
        return ProcessHandle.of(pid).flatMap(process -> process.info().user())
                .orElseThrow(() -> new AssertionError("no user for process " + pid));
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
