package io.fastcgibridge.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.ServeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        try (ServeProcess serve = ServeProcess.start(jar, List.of(), List.of("--docroot",
                sample.resolve("src/main/webapp").toString(), "--front-controller", "/index.php",
                "--classpath", sample.resolve("target/classes").toString(), "--port", "0"))) {
            SampleChecks checks = new SampleChecks(serve.base());
            checks.awaitUp(Duration.ofSeconds(30));
            checks.all();
            assertEquals(0, serve.stop());
        }
    }
}
