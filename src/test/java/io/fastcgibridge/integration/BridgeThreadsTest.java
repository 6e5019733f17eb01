package io.fastcgibridge.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.event.Priorities;
import io.fastcgibridge.event.RequestCompletedEvent;
import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.MappedTomcat;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The threads the bridge starts, as an operator sees them in a thread dump: the FastCGI client's
 * I/O threads and the completion threads are named after their web application
 * ({@code fastcgi-io-shop-0}, {@code fastcgi-completion-ROOT-0}) and run at normal priority,
 * whatever the thread that started the application.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(60)
class BridgeThreadsTest {

    /** A thread seen by a completion listener: its name and priority. */
    private record Seen(String name, int priority) {
    }

    @Test
    void ioAndCompletionThreadsAreNamedAfterTheContextAtNormalPriority(PhpFpm fpm) throws Exception {
        AtomicReference<MappedTomcat> started = new AtomicReference<>();
        Thread starter = new Thread(() -> started.set(MappedTomcat.servlet(fpm, "/shop", Map.of(), "/")), "starter");
        starter.setPriority(Thread.MIN_PRIORITY);
        starter.start();
        starter.join(TimeUnit.SECONDS.toMillis(30));
        try (MappedTomcat tomcat = started.get()) {
            CompletableFuture<Seen> completion = new CompletableFuture<>();
            tomcat.listeners().register(RequestCompletedEvent.class, Priorities.DEFAULT, event -> completion.complete(
                    new Seen(Thread.currentThread().getName(), Thread.currentThread().getPriority())));

            assertEquals("Hello World", tomcat.get("/shop/greeter.php").body());

            List<Thread> io = threadsNamed("fastcgi-io-shop-");
            assertFalse(io.isEmpty(), "no I/O thread named after the context: " + threadsNamed("fastcgi-"));
            io.forEach(thread -> assertEquals(Thread.NORM_PRIORITY, thread.getPriority(), thread.getName()));
            Seen seen = completion.get(10, TimeUnit.SECONDS);
            assertTrue(seen.name().startsWith("fastcgi-completion-shop-"), seen.name());
            assertEquals(Thread.NORM_PRIORITY, seen.priority());
        }
    }

    @Test
    void theRootContextIsCalledRoot(PhpFpm fpm) throws Exception {
        try (BridgeServer server = BridgeServer.start(fpm, Map.of())) {
            LinkedBlockingQueue<String> completions = new LinkedBlockingQueue<>();
            ((FallbackEventDispatcher) server.events()).register(RequestCompletedEvent.class, Priorities.DEFAULT,
                    event -> completions.add(Thread.currentThread().getName()));

            assertEquals(200, server.get("/greeter.php").statusCode());

            assertFalse(threadsNamed("fastcgi-io-ROOT-").isEmpty(), threadsNamed("fastcgi-").toString());
            String completion = completions.poll(10, TimeUnit.SECONDS);
            assertTrue(completion != null && completion.startsWith("fastcgi-completion-ROOT-"), completion);
        }
    }

    private static List<Thread> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().startsWith(prefix))
                .toList();
    }
}
