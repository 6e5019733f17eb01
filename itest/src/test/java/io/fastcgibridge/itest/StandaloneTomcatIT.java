package io.fastcgibridge.itest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sample WAR dropped into the standalone Tomcat distributions, started with {@code catalina.sh},
 * configured only by a context file that points it at a real PHP-FPM, as an operator would do.
 */
@Timeout(180)
class StandaloneTomcatIT {

    private static PhpFpm fpm;

    @BeforeAll
    static void startPhpFpm() {
        fpm = PhpFpm.start(PhpFpmSettings.defaults());
    }

    @AfterAll
    static void stopPhpFpm() {
        fpm.stop();
    }

    static List<String> versions() {
        return Arrays.asList(System.getProperty("itest.tomcat.versions", "10.1.59").split(","));
    }

    @ParameterizedTest(name = "Tomcat {0}")
    @MethodSource("versions")
    void theSampleWarServesPhpStaticFilesAndObserversInStandaloneTomcat(String version, @TempDir Path work)
            throws Exception {
        Path dist = Path.of(System.getProperty("itest.dist.dir", "target/dist"));
        Path home = dist.resolve("apache-tomcat-" + version);
        assertTrue(Files.isDirectory(home), "the Tomcat " + version + " distribution is not unpacked at " + home);
        Path base = catalinaBase(home, work.resolve("base"));
        int port = freePort();
        configure(base, port);
        Files.copy(dist.resolve("fastcgi-bridge-sample.war"), base.resolve("webapps/fastcgi-bridge-sample.war"));

        ProcessBuilder catalina = new ProcessBuilder(home.resolve("bin/catalina.sh").toString(), "run")
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("catalina.out").toFile());
        catalina.environment().put("CATALINA_HOME", home.toString());
        catalina.environment().put("CATALINA_BASE", base.toString());
        catalina.environment().put("JAVA_HOME", System.getProperty("java.home"));
        catalina.environment().put("CATALINA_PID", work.resolve("catalina.pid").toString());
        Process tomcat = catalina.start();
        try {
            SampleChecks sample = new SampleChecks("http://127.0.0.1:" + port + "/fastcgi-bridge-sample");
            sample.awaitUp(Duration.ofSeconds(90));
            sample.all();
        } catch (AssertionError | Exception e) {
            throw new AssertionError(e.getMessage() + "\n--- catalina.out ---\n" + tail(work.resolve("catalina.out")), e);
        } finally {
            stop(tomcat);
        }
    }

    /** A CATALINA_BASE of its own: the distribution's conf, empty webapps, logs and work. */
    private static Path catalinaBase(Path home, Path base) throws IOException {
        for (String folder : List.of("conf", "webapps", "logs", "temp", "work")) {
            Files.createDirectories(base.resolve(folder));
        }
        try (Stream<Path> files = Files.walk(home.resolve("conf"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = base.resolve("conf").resolve(home.resolve("conf").relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return base;
    }

    /** Loopback only, a free port, no shutdown port; the WAR's PHP-FPM address in its context file. */
    private static void configure(Path base, int port) throws IOException {
        Path server = base.resolve("conf/server.xml");
        String xml = Files.readString(server)
                .replace("<Server port=\"8005\"", "<Server port=\"-1\"")
                .replace("<Connector port=\"8080\"", "<Connector port=\"" + port + "\" address=\"127.0.0.1\"");
        Files.writeString(server, xml);
        Path contextFile = base.resolve("conf/Catalina/localhost/fastcgi-bridge-sample.xml");
        Files.createDirectories(contextFile.getParent());
        Files.writeString(contextFile, """
                <Context>
                  <Parameter name="fastcgi.fpm" value="%s" override="false"/>
                </Context>
                """.formatted(fpm.unixAddress()));
    }

    private static void stop(Process tomcat) throws InterruptedException {
        tomcat.destroy();
        if (!tomcat.waitFor(30, TimeUnit.SECONDS)) {
            tomcat.descendants().forEach(ProcessHandle::destroyForcibly);
            tomcat.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(none)";
        }
    }
}
