package io.fastcgibridge.itest;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone Tomcat distribution, started once with {@code catalina.sh} and four WARs an operator
 * would deploy: the sample (automatic registration), an existing application with the bridge declared
 * under {@code /php/*} at {@code /shop} (compression off by its context file), the same application
 * registered automatically at {@code /auto}, and at {@code /front} one configured by its context file
 * as it faces clients (Tomcat's {@code RemoteIpValve} trusting 127.0.0.1, an internal prefix). The
 * tests run in order against that one Tomcat, the last two undeploy a WAR and stop it. What the WARs'
 * observers saw comes back through a file ({@code io.fastcgibridge.itest.app.EventsFile}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
abstract class StandaloneTomcatIT {

    /**
     * A Weld message a user would see as a problem: a WELD id logged above INFO (Weld's own levels
     * show as {@code WARN} and {@code ERROR}), or in an exception's text.
     */
    private static final Pattern WELD_PROBLEM = Pattern.compile("WELD-\\d+");
    private static final Pattern QUIET_LEVEL = Pattern.compile(" (INFO|FINE|FINER|FINEST|CONFIG|DEBUG|TRACE) \\[");
    private static final Duration EVENT_WAIT = Duration.ofSeconds(60);
    /** The container's proxy valve as a WAR user configures it, trusting only the loopback peer. */
    private static final String FRONT_CONTEXT = """
            <Context>
              <Valve className="org.apache.catalina.valves.RemoteIpValve" internalProxies="127\\.0\\.0\\.1"
                     remoteIpHeader="X-Forwarded-For" protocolHeader="X-Forwarded-Proto"/>
              <Parameter name="fastcgi.fpm" value="%s" override="false"/>
              <Parameter name="fastcgi.internal" value="/protected/" override="false"/>
            </Context>
            """;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private PhpFpm fpm;
    private StandaloneTomcat tomcat;
    private Path events;
    private Path work;

    /** The distribution's version, {@code 10.1.59} or {@code 11.0.21}. */
    abstract String version();

    @BeforeAll
    @Timeout(240)
    void startTomcatWithFourApplications(@TempDir Path folder) throws Exception {
        work = folder;
        fpm = PhpFpm.start(PhpFpmSettings.defaults());
        Path dist = Path.of(System.getProperty("itest.dist.dir", "target/dist"));
        tomcat = StandaloneTomcat.prepare(dist.resolve("apache-tomcat-" + version()), work);
        events = work.resolve("events.log");
        String fpmAddress = fpm.unixAddress().toString();
        tomcat.deploy("fastcgi-bridge-sample", dist.resolve("fastcgi-bridge-sample.war"), """
                <Context>
                  <Parameter name="fastcgi.fpm" value="%s" override="false"/>
                </Context>
                """.formatted(fpmAddress));
        Path docroot = ApplicationWars.phpDocumentRoot(work.resolve("shop-php"));
        tomcat.deploy("shop", ApplicationWars.existingApplication(work.resolve("shop.war"), fpmAddress, docroot), """
                <Context>
                  <Parameter name="fastcgi.compression" value="off" override="false"/>
                </Context>
                """);
        tomcat.deploy("auto", ApplicationWars.automaticRegistration(work.resolve("auto.war"), fpmAddress),
                "<Context/>\n");
        tomcat.deploy("front", ApplicationWars.frontApplication(work.resolve("front.war")),
                FRONT_CONTEXT.formatted(fpmAddress));
        tomcat.start("-Ditest.events=" + events);
        try {
            new SampleChecks(tomcat.url("/fastcgi-bridge-sample")).awaitUp(Duration.ofSeconds(180));
            new SampleChecks(tomcat.url("/shop")).awaitUp("/hello", Duration.ofSeconds(60));
            new SampleChecks(tomcat.url("/auto")).awaitUp("/hello.php", Duration.ofSeconds(60));
            new SampleChecks(tomcat.url("/front")).awaitUp("/server.php", Duration.ofSeconds(60));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + tomcat.consoleTail(), e);
        }
    }

    @AfterAll
    void stopTomcat() throws InterruptedException {
        if (tomcat != null) {
            tomcat.stop();
        }
        if (fpm != null) {
            fpm.stop();
        }
    }

    @Test
    @Order(1)
    void theSampleWarServesPhpStaticFilesAndObservers() throws Exception {
        new SampleChecks(tomcat.url("/fastcgi-bridge-sample")).all();
    }

    @Test
    @Order(2)
    void serverStartEventFiresOnceWithTheAutomaticRegistrationAndWithAServletInWebXml() throws IOException {
        // Both applications answer already: their start events came before their first request.
        List<String> seen = lifecycleLines();
        assertAll(
                () -> assertEquals(1, count(seen, "start /shop cdi-ok"), "servlet in web.xml: " + seen),
                () -> assertEquals(1, count(seen, "start /auto cdi-ok"), "automatic registration: " + seen));
    }

    @Test
    @Order(3)
    void theApplicationsOwnServletIsUntouched() throws Exception {
        HttpResponse<String> hello = get("/shop/hello");
        assertEquals(200, hello.statusCode(), hello.body());
        assertTrue(hello.body().startsWith("Hello from Java, visit "), hello.body());
        assertTrue(hello.headers().firstValue("X-Visit").isEmpty(), "the bridge's observers saw /shop/hello");
    }

    /** Waited for the servlet's mapping fix (servlet/MappedPath) of issue 13's second item. */
    @Test
    @Order(4)
    void aScriptUnderThePhpMappingRunsWithItsScriptNameInsideTheMapping() throws Exception {
        HttpResponse<String> hello = get("/shop/php/hello.php?x=1");
        assertEquals(200, hello.statusCode(), hello.body());
        assertTrue(hello.body().contains("SCRIPT_NAME=/shop/php/hello.php\n"), hello.body());
        assertTrue(hello.body().contains("REQUEST_URI=/shop/php/hello.php?x=1\n"), hello.body());
    }

    /** Waited for the servlet's mapping fix (servlet/MappedPath) of issue 13's second item. */
    @Test
    @Order(5)
    void aStaticFileUnderThePhpMappingIsServedAsAFile() throws Exception {
        HttpResponse<String> style = get("/shop/php/style.css");
        assertEquals(200, style.statusCode(), style.body());
        assertTrue(style.headers().firstValue("Content-Type").orElse("").startsWith("text/css"), style.headers()
                .toString());
        assertEquals(Files.readString(work.resolve("shop-php/style.css")), style.body());
        awaitEvent(line -> line.startsWith("completed /shop/php/style.css 200 STATIC "));
    }

    @Test
    @Order(6)
    void observersOfRequestAndCompletionEventsGetRequestScopedBeans() throws Exception {
        for (String path : List.of("/shop/php/hello.php?visit", "/auto/hello.php?visit")) {
            String first = get(path).headers().firstValue("X-Visit").orElse("");
            String second = get(path).headers().firstValue("X-Visit").orElse("");
            assertTrue(first.length() == 36 && second.length() == 36, "no request-scoped bean in " + path);
            assertNotEquals(first, second, "two requests to " + path + " shared one request-scoped bean");
            List<String> completed = awaitEvents(line -> line.startsWith("completed " + path + " 200 "), 2);
            for (String line : completed) {
                assertTrue(line.matches(".* visit=[0-9a-f-]{36} thread=fastcgi-completion-.*"), line);
            }
        }
    }

    /** Issue 12, item 2: in a WAR, the container's valve decides who the client is, the servlet believes it. */
    @Test
    @Order(7)
    void behindTheContainersProxyValvePhpSeesTheForwardedClientAndHttps() throws Exception {
        Map<String, String> seen = front().serverSeenThroughProxy("/front/server.php");
        assertAll(seen.toString(),
                () -> assertEquals(FrontChecks.CLIENT, seen.get("REMOTE_ADDR")),
                () -> assertEquals("on", seen.get("HTTPS")),
                () -> assertEquals("https", seen.get("REQUEST_SCHEME")),
                () -> assertEquals("443", seen.get("SERVER_PORT")));
    }

    /** Issue 12, item 2: without the valve, forwarded headers are only headers. */
    @Test
    @Order(8)
    void withoutAProxyValveTheForwardedHeadersReachPhpOnlyAsHeaders() throws Exception {
        assertOnlyHeaders(front().serverSeenThroughProxy("/shop/php/server.php"), "127.0.0.1");
    }

    /** Issue 12, item 2: the valve believes only the peers it trusts; 127.0.0.2 is loopback but not one. */
    @Test
    @Order(8)
    void fromAPeerTheValveDoesNotTrustTheForwardedHeadersReachPhpOnlyAsHeaders() throws Exception {
        InetAddress untrusted = InetAddress.getByName("127.0.0.2");
        assumeTrue(canBind(untrusted), "this system has no loopback address 127.0.0.2 (Linux has all of 127/8)");
        assertOnlyHeaders(front().serverSeenThroughProxyFrom(untrusted, "/front/server.php"), "127.0.0.2");
    }

    private void assertOnlyHeaders(Map<String, String> seen, String peer) {
        String port = URI.create(tomcat.url("/")).getPort() + "";
        assertAll(seen.toString(),
                () -> assertEquals(peer, seen.get("REMOTE_ADDR")),
                () -> assertNotEquals("on", seen.get("HTTPS")),
                () -> assertEquals("http", seen.get("REQUEST_SCHEME")),
                () -> assertEquals(port, seen.get("SERVER_PORT")),
                () -> assertEquals(FrontChecks.CLIENT, seen.get("HTTP_X_FORWARDED_FOR")),
                () -> assertEquals("https", seen.get("HTTP_X_FORWARDED_PROTO")));
    }

    /** Issue 12, item 4: on by default for PHP's text and static text; {@code fastcgi.compression=off} turns it off. */
    @Test
    @Order(9)
    void textFromPhpAndStaticTextAreGzippedUnlessTheContextTurnsCompressionOff() throws Exception {
        FrontChecks front = front();
        front.gzipped("/front/text.php", FrontChecks.textPage());
        front.gzipped("/front/notes.txt", FrontChecks.notes());
        front.notGzipped("/shop/php/text.php", FrontChecks.textPage());
        front.notGzipped("/shop/php/notes.txt", FrontChecks.notes());
    }

    /** Issue 12, item 5: {@code X-Accel-Redirect} sends a file under {@code fastcgi.internal}, 404 to clients. */
    @Test
    @Order(10)
    void xAccelRedirectSendsAnInternalFileThatClientsCannotAskFor() throws Exception {
        front().internalRedirect("/front/download.php", "/front/protected/file.bin");
    }

    @Test
    @Order(11)
    void aThousandRequestsLogNoWeldWarning() throws Exception {
        List<String> paths = List.of("/shop/php/hello.php", "/shop/php/style.css", "/auto/hello.php",
                "/fastcgi-bridge-sample/greeter.php", "/shop/hello");
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                String path = paths.get(i % paths.size());
                statuses.add(clients.submit(() -> get(path).statusCode()));
            }
            for (Future<Integer> status : statuses) {
                assertEquals(200, status.get());
            }
        } finally {
            clients.shutdownNow();
        }
        List<String> weld = weldProblems();
        assertTrue(weld.isEmpty(), weld.size() + " WELD lines above INFO, the first: "
                + weld.subList(0, Math.min(5, weld.size())));
    }

    @Test
    @Order(12)
    void undeployingAWarFiresServerShutdownEventWhileCdiWorks() throws Exception {
        tomcat.undeploy("auto");
        awaitEvent(line -> line.startsWith("shutdown /auto "));
        List<String> seen = lifecycleLines();
        assertEquals(1, count(seen, "shutdown /auto cdi-ok"), seen.toString());
        assertEquals(0, count(seen, "shutdown /shop cdi-ok"), "the other application stopped too: " + seen);
    }

    @Test
    @Order(13)
    void stoppingTomcatFiresServerShutdownEventWhileCdiWorksAndLeavesNoThreadLocal() throws Exception {
        assertTrue(tomcat.stop(), "Tomcat did not stop within 60 s" + tomcat.consoleTail());
        List<String> seen = lifecycleLines();
        assertEquals(1, count(seen, "shutdown /shop cdi-ok"), seen.toString());
        List<String> leaks = tomcat.consoleLines().stream()
                .filter(line -> line.contains("SEVERE") && line.contains("ThreadLocal")).toList();
        assertTrue(leaks.isEmpty(), leaks.size() + " thread-local leaks reported, the first: "
                + leaks.subList(0, Math.min(3, leaks.size())));
        List<String> weld = weldProblems();
        assertTrue(weld.isEmpty(), weld.size() + " WELD lines above INFO, the first: "
                + weld.subList(0, Math.min(5, weld.size())));
    }

    private static boolean canBind(InetAddress address) {
        try {
            new ServerSocket(0, 1, address).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private FrontChecks front() {
        return new FrontChecks(tomcat.url(""));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(tomcat.url(path))).timeout(Duration.ofSeconds(20))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private List<String> weldProblems() throws IOException {
        return tomcat.consoleLines().stream()
                .filter(line -> WELD_PROBLEM.matcher(line).find() && !QUIET_LEVEL.matcher(line).find()).toList();
    }

    private List<String> eventLines() throws IOException {
        return Files.exists(events) ? Files.readAllLines(events) : List.of();
    }

    /** The start and shutdown lines: the whole file has a line per request. */
    private List<String> lifecycleLines() throws IOException {
        return eventLines().stream().filter(line -> !line.startsWith("completed ")).toList();
    }

    private static long count(List<String> lines, String line) {
        return lines.stream().filter(line::equals).count();
    }

    private void awaitEvent(Predicate<String> wanted) throws IOException, InterruptedException {
        awaitEvents(wanted, 1);
    }

    /** Polls the events file until {@code count} lines match; observers write it after the response. */
    private List<String> awaitEvents(Predicate<String> wanted, int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + EVENT_WAIT.toNanos();
        while (true) {
            List<String> matching = eventLines().stream().filter(wanted).toList();
            if (matching.size() >= count) {
                return matching;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no such event line within " + EVENT_WAIT.toSeconds() + " s; lifecycle"
                        + " lines: " + lifecycleLines() + tomcat.consoleTail());
            }
            Thread.sleep(100);
        }
    }
}
