package io.fastcgibridge.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The same checks as in Tomcat, against the sample on the launcher with its own managed PHP-FPM. */
@Timeout(120)
class LauncherSampleIT {

    @Test
    void theSampleOnTheLauncherWithAManagedPhpFpmPassesTheSameChecks() throws Exception {
        Path jar = Path.of(System.getProperty("itest.launcher.jar", "../target/fastcgi-bridge.jar"));
        Path sample = Path.of(System.getProperty("itest.sample.dir", "../webapp-sample"));
        assertTrue(Files.isRegularFile(jar), "build the launcher first: " + jar);
        Process serve = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "serve", "--docroot", sample.resolve("src/main/webapp").toString(),
                "--front-controller", "/index.php", "--classpath", sample.resolve("target/classes").toString(),
                "--port", "0").redirectErrorStream(true).start();
        try {
            int port = awaitListening(serve);
            SampleChecks checks = new SampleChecks("http://127.0.0.1:" + port);
            checks.awaitUp(Duration.ofSeconds(30));
            checks.all();
        } finally {
            serve.destroy();
            assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "serve did not stop");
        }
        assertEquals(0, serve.exitValue());
    }

    private static int awaitListening(Process serve) throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        Pattern listening = Pattern.compile("^listening on http://127\\.0\\.0\\.1:(\\d+)");
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = lines.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = listening.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> lines.lines().forEach(ignored -> { }));
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("serve did not start:\n" + seen);
    }
}
