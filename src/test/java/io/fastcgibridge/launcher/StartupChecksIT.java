package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import io.fastcgibridge.testing.RefusingPort;
import io.fastcgibridge.testing.ServeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} checks at start what its flags name: a PHP-FPM that does not accept and a missing
 * front controller are warnings naming the flag (serve still starts: PHP-FPM may come up later),
 * and {@code --strict} makes them, and PHP run as root, stop serve before it listens, with exit 2.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(120)
class StartupChecksIT {

    @Test
    void aMissingFpmSocketIsAWarningAndWithStrictServeDoesNotStart(PhpFpm harness, @TempDir Path dir) throws Exception {
        String missing = "unix://" + dir.resolve("php-fpm.sock");
        List<String> args = List.of("--docroot", harness.documentRoot().toString(), "--fpm", missing);

        try (ServeProcess serve = ServeProcess.start(ManagedServe.JAR, List.of(), withPort(args))) {
            assertTrue(said(serve, "FCGI-0710 fastcgi: fpm " + missing + ": no such socket file"), said(serve));
        }
        ManagedServe.Ran strict = serve(dir, args, "--strict");
        assertEquals(2, strict.status(), strict.output());
        assertTrue(strict.output().contains("cannot start (--strict): --fpm " + missing + ": no such socket file"),
                strict.output());
        assertFalse(strict.output().contains("listening on"), strict.output());
    }

    @Test
    void aRefusingFpmAddressIsAWarningAndWithStrictServeDoesNotStart(PhpFpm harness, @TempDir Path dir)
            throws Exception {
        try (RefusingPort refusing = new RefusingPort()) {
            List<String> args = List.of("--docroot", harness.documentRoot().toString(), "--fpm", refusing.address());
            try (ServeProcess serve = ServeProcess.start(ManagedServe.JAR, List.of(), withPort(args))) {
                assertTrue(said(serve, "FCGI-0710 fastcgi: fpm " + refusing.address() + ": cannot connect"), said(serve));
            }
            ManagedServe.Ran strict = serve(dir, args, "--strict", "on");
            assertEquals(2, strict.status(), strict.output());
            assertTrue(strict.output().contains("cannot start (--strict): --fpm " + refusing.address()), strict.output());
            assertFalse(strict.output().contains("listening on"), strict.output());
        }
    }

    @Test
    void aMissingFrontControllerIsAWarningAndWithStrictServeDoesNotStart(PhpFpm harness, @TempDir Path dir)
            throws Exception {
        List<String> args = List.of("--docroot", harness.documentRoot().toString(), "--fpm", harness.unixAddress(),
                "--front-controller", "/app.php");

        try (ServeProcess serve = ServeProcess.start(ManagedServe.JAR, List.of(), withPort(args))) {
            assertTrue(said(serve, "FCGI-0710 fastcgi: front-controller /app.php: no such file in the document root"),
                    said(serve));
            assertFalse(said(serve, "FCGI-0710 fastcgi: fpm"), "PHP-FPM is up, yet: " + said(serve));
        }
        ManagedServe.Ran strict = serve(dir, args, "--strict");
        assertEquals(2, strict.status(), strict.output());
        assertTrue(strict.output().contains("cannot start (--strict): --front-controller /app.php: no such file"),
                strict.output());
    }

    @Test
    void withStrictServeRefusesToRunPhpAsRootUnlessFpmUserIsGiven(PhpFpm harness, @TempDir Path dir)
            throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        List<String> args = List.of("--docroot", harness.documentRoot().toString(), "--strict");

        ManagedServe.Ran asRoot = serve(dir, args);
        assertEquals(2, asRoot.status(), asRoot.output());
        assertTrue(asRoot.output().contains("cannot start (--strict): PHP would run as root"), asRoot.output());
        assertFalse(asRoot.output().contains("FCGI-0700"), "PHP-FPM was started: " + asRoot.output());

        List<String> asNobody = new ArrayList<>(args);
        asNobody.addAll(List.of("--fpm-user", "nobody"));
        try (ServeProcess serve = ServeProcess.start(ManagedServe.JAR, List.of(), withPort(asNobody))) {
            assertFalse(said(serve, "FCGI-0712"), said(serve));
        }
    }

    /** Runs serve to its end: a serve that starts would run on, so only for starts that must fail. */
    private static ManagedServe.Ran serve(Path dir, List<String> args, String... more) throws Exception {
        List<String> command = new ArrayList<>(List.of(ManagedServe.java(), "-jar", ManagedServe.JAR.toString(), "serve"));
        command.addAll(withPort(args));
        command.addAll(List.of(more));
        return ManagedServe.run(new ProcessBuilder(command), dir.resolve("serve-" + System.nanoTime() + ".out"),
                Duration.ofSeconds(60));
    }

    private static List<String> withPort(List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--port", "0"));
        return all;
    }

    private static boolean said(ServeProcess serve, String text) {
        return serve.output().stream().anyMatch(line -> line.contains(text));
    }

    private static String said(ServeProcess serve) {
        return String.join("\n", serve.output());
    }
}
