package io.fastcgibridge.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.event.RequestCompletedEvent;
import io.fastcgibridge.event.RequestEvent;
import io.fastcgibridge.launcher.EmbeddedTomcat;
import io.fastcgibridge.servlet.BridgeConfig;
import io.fastcgibridge.servlet.BridgeOption;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmSettings;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Completion observers in a real Weld container behind a real Tomcat and PHP-FPM: a
 * {@code @RequestScoped} bean injected into one works for PHP, static and vetoed requests alike
 * (each request gets a request context of its own, and so do request observers where no servlet
 * integration of CDI made one, as in the launcher), the observer never runs on a FastCGI I/O
 * thread, and one that throws changes no response and keeps no other observer from running.
 */
@ExtendWith(ArquillianExtension.class)
@Timeout(120)
class CompletionObserversInWeldTest {

    @Deployment
    static JavaArchive deployment() {
        return ShrinkWrap.create(JavaArchive.class)
                .addClasses(Journal.class, RequestTag.class, Maintenance.class, TaggingObserver.class,
                        ThrowingObserver.class)
                .addAsServiceProvider(Extension.class, BridgeExtension.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    /** What a completion observer saw: the URI, its request-scoped tag, its thread. */
    public record Entry(String uri, String tag, String thread) {
    }

    @ApplicationScoped
    public static class Journal {
        private final List<Entry> entries = new CopyOnWriteArrayList<>();

        void add(Entry entry) {
            entries.add(entry);
        }

        List<Entry> entries() {
            return List.copyOf(entries);
        }
    }

    /** One per request context. */
    @RequestScoped
    public static class RequestTag {
        private final String id = UUID.randomUUID().toString();

        String id() {
            return id;
        }
    }

    /** Vetoes {@code /veto}; marks every response with its request's tag, as a request-scoped bean gives it. */
    @ApplicationScoped
    public static class Maintenance {
        @Inject
        RequestTag tag;

        void onRequest(@Observes @Priority(10) RequestEvent event) throws IOException {
            event.response().setHeader("X-Tag", tag.id());
            if (event.request().getRequestURI().equals("/veto")) {
                event.respond(200, "text/plain", "vetoed\n");
            }
        }
    }

    @ApplicationScoped
    public static class ThrowingObserver {
        void onCompleted(@Observes @Priority(10) RequestCompletedEvent event) {
            throw new IllegalStateException("completion observer failed for " + event.request().uri());
        }
    }

    @ApplicationScoped
    public static class TaggingObserver {
        @Inject
        RequestTag tag;

        @Inject
        Journal journal;

        void onCompleted(@Observes @Priority(3000) RequestCompletedEvent event) {
            journal.add(new Entry(event.request().uri(), tag.id(), Thread.currentThread().getName()));
        }
    }

    private static PhpFpm fpm;
    private static EmbeddedTomcat tomcat;

    @Inject
    BeanManager beans;

    @Inject
    Journal journal;

    @AfterAll
    static void stop() {
        if (tomcat != null) {
            tomcat.stop();
        }
        if (fpm != null) {
            fpm.stop();
        }
    }

    private synchronized EmbeddedTomcat tomcat() throws Exception {
        if (tomcat == null) {
            fpm = PhpFpm.start(PhpFpmSettings.defaults());
            BridgeConfig config = BridgeConfig.from(option -> option == BridgeOption.DOCROOT
                    ? List.of(fpm.documentRoot().toString())
                    : option == BridgeOption.FPM ? List.of(fpm.unixAddress()) : List.of());
            tomcat = EmbeddedTomcat.start("127.0.0.1", 0, config, Duration.ofSeconds(2),
                    Map.of(BeanManager.class.getName(), beans));
        }
        return tomcat;
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tomcat().port() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestScopedBeanWorksInCompletionObserversOffTheIoThreadsAndAThrowingOneChangesNoResponse()
            throws Exception {
        HttpResponse<String> php = get("/greeter.php");
        HttpResponse<String> css = get("/static/site.css");
        HttpResponse<String> vetoed = get("/veto");

        assertEquals("Hello World", php.body());
        assertEquals(200, css.statusCode());
        assertEquals(Files.readString(fpm.documentRoot().resolve("static/site.css")), css.body());
        assertEquals(200, vetoed.statusCode());
        assertEquals("vetoed\n", vetoed.body());
        List<Entry> entries = awaitEntries(3);
        assertEquals(List.of("/greeter.php", "/static/site.css", "/veto"),
                entries.stream().map(Entry::uri).sorted().toList());
        entries.forEach(entry -> assertTrue(entry.thread().startsWith("fastcgi-completion-ROOT-"), entry.toString()));
        assertEquals(3, entries.stream().map(Entry::tag).distinct().count(), "one request context per request");
        assertNotEquals(null, entries.get(0).tag());
        assertTrue(php.headers().firstValue("X-Tag").isPresent(), "a request observer had its request context");
    }

    private List<Entry> awaitEntries(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (journal.entries().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(count, journal.entries().size(), "completion observers that ran: " + journal.entries());
        return journal.entries();
    }
}
