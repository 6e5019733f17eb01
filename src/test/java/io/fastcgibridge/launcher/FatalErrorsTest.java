package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A server whose acceptor, poller or request-head gate died would accept or serve nothing while
 * still running (the zombie of issue 10): the launcher stops with status 1 instead. A request
 * thread's death stops nothing.
 */
class FatalErrorsTest {

    private final List<Integer> stops = new ArrayList<>();
    private final Thread.UncaughtExceptionHandler handler = FatalErrors.handler(stops::add);

    @Test
    void theDeathOfAThreadTheServerCannotDoWithoutStopsIt() {
        for (String name : List.of("http-nio-127.0.0.1-auto-1-Acceptor", "http-nio-127.0.0.1-auto-1-Poller",
                "http-nio-127.0.0.1-auto-1-HeadGate")) {
            handler.uncaughtException(new Thread(name), new OutOfMemoryError("Java heap space (a test)"));
        }
        assertEquals(List.of(1, 1, 1), stops);
    }

    @Test
    void theDeathOfARequestThreadStopsNothing() {
        handler.uncaughtException(new Thread("http-nio-127.0.0.1-auto-1-exec-3"),
                new OutOfMemoryError("Java heap space (a test)"));
        handler.uncaughtException(new Thread("fastcgi-bridge-reload"), new IllegalStateException("a test"));
        assertEquals(List.of(), stops);
    }
}
