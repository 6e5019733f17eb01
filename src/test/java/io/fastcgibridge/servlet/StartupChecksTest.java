package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import io.fastcgibridge.testing.RefusingPort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The servlet's start-up checks, as in a WAR: what the configuration names but is not there is
 * logged at init, naming the option (FCGI-0710), and the servlet still starts since PHP-FPM may come
 * up later; with {@code strict} it does not start at all.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(60)
class StartupChecksTest {

    /** Held here: the logging system keeps loggers only weakly. */
    private final Logger servletLog = Logger.getLogger(FastCgiServlet.class.getName());
    private final List<LogRecord> logged = Collections.synchronizedList(new ArrayList<>());
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void record() {
        servletLog.addHandler(recorder);
    }

    @AfterEach
    void stopRecording() {
        servletLog.removeHandler(recorder);
    }

    @Test
    void aMissingFrontControllerIsLoggedNamingTheOptionAndTheRestIsServed(PhpFpm fpm) throws Exception {
        try (BridgeServer bridge = BridgeServer.start(fpm, Map.of("front-controller", "/missing.php"))) {
            assertEquals(List.of(Level.WARNING + " FCGI-0710 fastcgi: front-controller /missing.php: no such file in the"
                    + " document root " + fpm.documentRoot().toRealPath() + "; paths that match no file get 404 instead"
                    + " of running it; starting anyway (strict on makes this fatal)"), checkLines());
            assertEquals("Hello World", bridge.get("/greeter.php").body());
        }
    }

    @Test
    void aSocketThatIsNotThereIsLogged(PhpFpm fpm, @TempDir Path dir) throws Exception {
        String missing = "unix://" + dir.resolve("php-fpm.sock");
        try (BridgeServer bridge = BridgeServer.start(options(fpm, missing, Map.of()))) {
            List<String> lines = checkLines();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("FCGI-0710 fastcgi: fpm " + missing + ": no such socket file"), lines.get(0));
            assertTrue(lines.get(0).contains("requests get 502 until PHP-FPM accepts there"), lines.get(0));
        }
    }

    @Test
    void anAddressThatRefusesIsLogged(PhpFpm fpm) throws Exception {
        try (RefusingPort refusing = new RefusingPort();
                BridgeServer bridge = BridgeServer.start(options(fpm, refusing.address(), Map.of()))) {
            List<String> lines = checkLines();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("FCGI-0710 fastcgi: fpm " + refusing.address() + ": cannot connect"),
                    lines.get(0));
        }
    }

    @Test
    void withStrictAFailedCheckKeepsTheServletFromStarting(PhpFpm fpm) throws Exception {
        try (BridgeServer bridge = BridgeServer.start(options(fpm, fpm.unixAddress(),
                Map.of("front-controller", "/missing.php", "strict", "on")))) {
            List<String> lines = checkLines();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith(Level.SEVERE + " FCGI-0710 fastcgi: front-controller /missing.php"),
                    lines.get(0));
            assertNotEquals(200, bridge.get("/greeter.php").statusCode(), "a strict servlet served despite the check");
        }
    }

    private static Map<String, List<String>> options(PhpFpm fpm, String address, Map<String, String> more) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        values.put(BridgeOption.DOCROOT.key(), List.of(fpm.documentRoot().toString()));
        values.put(BridgeOption.FPM.key(), List.of(address));
        more.forEach((key, value) -> values.put(key, List.of(value)));
        return values;
    }

    /** The start-up check lines logged so far, as level and message. */
    private List<String> checkLines() {
        SimpleFormatter formatter = new SimpleFormatter();
        synchronized (logged) {
            return logged.stream().map(record -> record.getLevel() + " " + formatter.formatMessage(record))
                    .filter(line -> line.contains("FCGI-0710")).toList();
        }
    }
}
