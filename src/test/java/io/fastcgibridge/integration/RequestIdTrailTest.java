package io.fastcgibridge.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.event.Priorities;
import io.fastcgibridge.event.RequestCompletedEvent;
import io.fastcgibridge.event.RequestEvent;
import io.fastcgibridge.testing.AccessLogFile;
import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
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
 * One id follows each request through embedded Tomcat: PHP sees it as {@code HTTP_X_REQUEST_ID},
 * the access log ends with it, the log line of what PHP wrote to stderr names it, and observers of
 * {@code RequestEvent} and {@code RequestCompletedEvent} read it. A client's safe
 * {@code X-Request-Id} is kept, an unsafe one replaced; a {@code traceparent} reaches PHP unchanged.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(60)
class RequestIdTrailTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final String PATH = "/request-id.php";

    private final Map<String, String> seenByRequestEvent = new ConcurrentHashMap<>();
    private final List<RequestCompletedEvent> completed = new CopyOnWriteArrayList<>();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(new SimpleFormatter().formatMessage(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger servletLog = Logger.getLogger("io.fastcgibridge.servlet");

    private BridgeServer server;
    private AccessLogFile accessLog;

    @BeforeEach
    void start(PhpFpm fpm, @TempDir Path dir) {
        servletLog.addHandler(capture);
        accessLog = new AccessLogFile(dir.resolve("access.log"));
        server = BridgeServer.start(fpm, Map.of("access-log", accessLog.path().toString()));
        FallbackEventDispatcher events = (FallbackEventDispatcher) server.events();
        events.register(RequestEvent.class, 10,
                event -> seenByRequestEvent.put(event.request().getQueryString(), event.requestId()));
        events.register(RequestCompletedEvent.class, Priorities.DEFAULT, completed::add);
    }

    @AfterEach
    void stop() {
        server.close();
        servletLog.removeHandler(capture);
    }

    @Test
    void aClientsIdIsKeptInPhpTheAccessLogThePhpStderrLineAndTheEvents() throws Exception {
        String id = "checkout-7f3a9c:web_1@eu+b/x=";

        Map<String, String> php = php("given", Map.of("X-Request-Id", id));

        assertEquals(id, php.get("HTTP_X_REQUEST_ID"));
        assertEquals(id, idInAccessLog("given"));
        assertTrue(awaitLogged("[" + id + "] GET " + PATH + "?given: PHP stderr: ")
                .contains("request-id.php ran for " + id), logged.toString());
        assertEquals(id, seenByRequestEvent.get("given"));
        assertEquals(id, completedFor("given").request().id());
    }

    @Test
    void withoutAnIdEachRequestGetsAFreshOneThatReachesEverywhere() throws Exception {
        String first = php("fresh1", Map.of()).get("HTTP_X_REQUEST_ID");
        String second = php("fresh2", Map.of()).get("HTTP_X_REQUEST_ID");

        assertTrue(first.matches("[0-9a-f]{32}"), first);
        assertTrue(second.matches("[0-9a-f]{32}"), second);
        assertNotEquals(first, second);
        assertEquals(first, idInAccessLog("fresh1"));
        assertEquals(second, idInAccessLog("fresh2"));
        assertTrue(awaitLogged("[" + first + "] GET " + PATH + "?fresh1: PHP stderr: ")
                .contains("request-id.php ran for " + first), logged.toString());
        assertEquals(first, seenByRequestEvent.get("fresh1"));
        assertEquals(second, completedFor("fresh2").request().id());
    }

    @Test
    void anUnsafeOrOverlongIdIsReplacedBeforePhpOrTheLogsSeeIt() throws Exception {
        Map<String, String> sent = new HashMap<>();
        sent.put("spaced", "id with spaces");
        sent.put("quoted", "id\"quoted\"");
        sent.put("long", "a".repeat(129));
        for (Map.Entry<String, String> unsafe : sent.entrySet()) {
            String reached = php(unsafe.getKey(), Map.of("X-Request-Id", unsafe.getValue())).get("HTTP_X_REQUEST_ID");

            assertTrue(reached.matches("[0-9a-f]{32}"), unsafe.getKey() + " reached PHP as " + reached);
            assertEquals(reached, idInAccessLog(unsafe.getKey()));
            assertEquals(reached, completedFor(unsafe.getKey()).request().id());
        }
        assertEquals("b".repeat(128), php("longest", Map.of("X-Request-Id", "b".repeat(128))).get("HTTP_X_REQUEST_ID"));
    }

    @Test
    void aTraceparentReachesPhpUnchangedAndIsTheIdWhenTheClientSentNone() throws Exception {
        String tracestate = "vendor=opaque-value,other=1";

        Map<String, String> traced = php("traced", Map.of("traceparent", TRACEPARENT, "tracestate", tracestate));
        Map<String, String> both = php("both", Map.of("traceparent", TRACEPARENT, "X-Request-Id", "mine-1"));
        String zeros = "00-00000000000000000000000000000000-00f067aa0ba902b7-01";
        Map<String, String> invalid = php("invalid", Map.of("traceparent", zeros));

        assertEquals(TRACEPARENT, traced.get("HTTP_TRACEPARENT"));
        assertEquals(tracestate, traced.get("HTTP_TRACESTATE"));
        assertEquals(TRACEPARENT, traced.get("HTTP_X_REQUEST_ID"));
        assertEquals(TRACEPARENT, idInAccessLog("traced"));
        assertEquals(TRACEPARENT, both.get("HTTP_TRACEPARENT"));
        assertEquals("mine-1", both.get("HTTP_X_REQUEST_ID"));
        assertEquals(zeros, invalid.get("HTTP_TRACEPARENT"));
        assertTrue(invalid.get("HTTP_X_REQUEST_ID").matches("[0-9a-f]{32}"), invalid.toString());
    }

    /** GET request-id.php?QUERY with the headers; what PHP printed, name to value. */
    private Map<String, String> php(String query, Map<String, String> headers) throws Exception {
        var request = server.request(PATH + "?" + query);
        headers.forEach(request::header);
        HttpResponse<String> response = server.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        Map<String, String> values = new HashMap<>();
        for (String line : response.body().split("\n")) {
            int equals = line.indexOf('=');
            values.put(line.substring(0, equals), line.substring(equals + 1));
        }
        return values;
    }

    /** The last field of the request's access log line, after the quoted user agent. */
    private String idInAccessLog(String query) throws Exception {
        String line = accessLog.lineFor("GET " + PATH + "?" + query + " HTTP/1.1");
        assertTrue(line.matches("^\\S+ - \\S+ \\[[^]]+] \"[^\"]*\" \\d{3} (\\d+|-) \"[^\"]*\" \"[^\"]*\" \\S+$"),
                "not the combined format and an id: " + line);
        return line.substring(line.lastIndexOf(' ') + 1);
    }

    private String awaitLogged(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (String line : logged) {
                if (line.startsWith("FCGI-0300 " + prefix)) {
                    return line;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no FCGI-0300 line for " + prefix + " in " + logged);
    }

    private RequestCompletedEvent completedFor(String query) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (RequestCompletedEvent event : completed) {
                if (event.request().uri().equals(PATH + "?" + query)) {
                    return event;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no RequestCompletedEvent for ?" + query + " in " + completed);
    }
}
