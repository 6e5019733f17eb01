package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The executable jar prints the project's version, and {@code serve --help} its usage, both with status 0. */
@Timeout(60)
class VersionIT {

    private static final Path JAR = Path.of(System.getProperty("launcher.jar", "target/fastcgi-bridge.jar"));

    private static String run(String... args) throws Exception {
        String[] command = new String[args.length + 3];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        command[1] = "-jar";
        command[2] = JAR.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    @Test
    void versionPrintsTheProjectVersion() throws Exception {
        assertEquals("fastcgi-bridge " + System.getProperty("launcher.version") + "\n", run("--version"));
    }

    @Test
    void serveHelpPrintsTheUsageWithoutStartingAnything() throws Exception {
        String output = run("serve", "--help");

        assertTrue(output.contains("serve --docroot DIR"), output);
        assertTrue(output.contains("--max-body"), output);
        assertTrue(output.contains("--trusted-proxy CIDR"), output);
        assertTrue(output.contains("--tls-cert FILE"), output);
    }
}
