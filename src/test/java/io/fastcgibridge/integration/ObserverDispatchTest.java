package io.fastcgibridge.integration;

import io.fastcgibridge.event.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Observers of the bridge's events in a real Weld container: {@code @Priority} order, a stoppable
 * event stopping for good, a throwing observer. The observers react to marks in the event's data,
 * so one deployment serves every case.
 */
@ExtendWith(ArquillianExtension.class)
class ObserverDispatchTest {

    @Deployment
    static JavaArchive deployment() {
        return ShrinkWrap.create(JavaArchive.class)
                .addClasses(Journal.class, EarlyObserver.class, MiddleObserver.class, LateObserver.class,
                        DefaultPriorityObserver.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    /** Where the observers write down that they ran (through methods: the bean is a client proxy). */
    @ApplicationScoped
    public static class Journal {
        private final List<String> entries = new CopyOnWriteArrayList<>();

        void add(String entry) {
            entries.add(entry);
        }

        List<String> entries() {
            return List.copyOf(entries);
        }

        void clear() {
            entries.clear();
        }
    }

    @ApplicationScoped
    public static class EarlyObserver {
        @Inject
        Journal journal;

        void onTask(@Observes @Priority(10) TaskEvent event) {
            journal.add("10");
        }

        void onStart(@Observes @Priority(10) ServerStartEvent event) {
            journal.add("start 10");
        }
    }

    @ApplicationScoped
    public static class MiddleObserver {
        @Inject
        Journal journal;

        void onTask(@Observes @Priority(500) TaskEvent event) {
            journal.add("500");
            if ("stop".equals(event.data())) {
                event.returnValue("answered at 500");
                event.taskProcessingComplete();
            }
            if ("throw".equals(event.data())) {
                throw new IllegalStateException("observer at 500 failed");
            }
        }
    }

    @ApplicationScoped
    public static class LateObserver {
        @Inject
        Journal journal;

        void onTask(@Observes @Priority(2000) TaskEvent event) {
            journal.add("2000");
        }

        void onStart(@Observes @Priority(2000) ServerStartEvent event) {
            journal.add("start 2000");
        }
    }

    @ApplicationScoped
    public static class DefaultPriorityObserver {
        @Inject
        Journal journal;

        void onTask(@Observes TaskEvent event) {
            journal.add("default");
        }
    }

    @Inject
    BeanManager beans;

    @Inject
    Journal journal;

    /** A dispatcher over the container, with a clean journal. */
    private EventDispatcher dispatcher() {
        journal.clear();
        return Dispatchers.cdi(beans);
    }

    @Test
    void observersRunLowestPriorityFirstAndUnannotatedOnesAtTheCdiDefault() {
        dispatcher().fireStoppable(new TaskEvent(1, "go on"));

        assertEquals(List.of("10", "500", "2000", "default"), journal.entries());
    }

    @Test
    void anObserverThatStopsPropagationKeepsEveryLaterOneFromRunning() {
        TaskEvent event = new TaskEvent(2, "stop");

        dispatcher().fireStoppable(event);

        assertEquals(List.of("10", "500"), journal.entries());
        assertTrue(event.isPropagationStopped());
        assertEquals("answered at 500", event.returnValue());
    }

    @Test
    void aThrowingObserverFailsTheDispatchAndNoLaterOneRuns() {
        EventDispatcher dispatcher = dispatcher();
        RuntimeException failure = assertThrows(RuntimeException.class,
                () -> dispatcher.fireStoppable(new TaskEvent(3, "throw")));

        assertTrue(String.valueOf(failure.getMessage()).contains("observer at 500 failed")
                || String.valueOf(failure.getCause()).contains("observer at 500 failed"), failure.toString());
        assertEquals(List.of("10", "500"), journal.entries());
    }

    @Test
    void plainEventsReachEveryObserverInPriorityOrder() {
        dispatcher().fire(new ServerStartEvent(null, ""));

        assertEquals(List.of("start 10", "start 2000"), journal.entries());
    }
}
