package io.fastcgibridge.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.event.TaskEvent;
import io.fastcgibridge.event.TaskFinishEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link TaskDispatcher} injected into a real Weld container, with task observers of the
 * application's. The dispatcher itself is not in the deployment: the bridge's CDI extension adds it.
 */
@ExtendWith(ArquillianExtension.class)
class TaskDispatcherTest {

    @Deployment
    static JavaArchive deployment() {
        return ShrinkWrap.create(JavaArchive.class)
                .addClasses(Worker.class, Finishes.class)
                .addAsManifestResource(EmptyAsset.INSTANCE, "beans.xml");
    }

    /** Task observers: the first doubles numbers and stops there; the second answers what the first left. */
    @ApplicationScoped
    public static class Worker {
        void doubleNumbers(@Observes @Priority(10) TaskEvent task) {
            if (task.data() instanceof Integer number) {
                task.returnValue(number * 2);
                task.taskProcessingComplete();
            }
        }

        void answerTheRest(@Observes @Priority(20) TaskEvent task) {
            if ("fail".equals(task.data())) {
                throw new IllegalArgumentException("cannot do that");
            }
            task.returnValue("ran on " + Thread.currentThread().getName() + ": " + task.data());
        }
    }

    /** Records every finished task. */
    @ApplicationScoped
    public static class Finishes {
        private final List<TaskFinishEvent> finished = new CopyOnWriteArrayList<>();

        void onFinish(@Observes TaskFinishEvent event) {
            finished.add(event);
        }

        TaskFinishEvent await(java.util.function.Predicate<TaskFinishEvent> which) throws InterruptedException {
            for (int i = 0; i < 500; i++) {
                for (TaskFinishEvent event : finished) {
                    if (which.test(event)) {
                        return event;
                    }
                }
                Thread.sleep(10);
            }
            throw new AssertionError("no such TaskFinishEvent among " + finished.size());
        }
    }

    @Inject
    TaskDispatcher tasks;

    @Inject
    Finishes finishes;

    @Test
    void dispatchReturnsTheValueAnObserverSetOnATaskThread() throws Exception {
        Object value = tasks.dispatch("report").get(10, TimeUnit.SECONDS);

        assertTrue(value.toString().matches("ran on fastcgi-task-\\d+-\\d+: report"), value.toString());
    }

    @Test
    void taskProcessingCompleteStopsPropagationSoLaterObserversNeverSeeIt() throws Exception {
        assertEquals(42, tasks.dispatch(21).get(10, TimeUnit.SECONDS));
    }

    @Test
    void aTaskFinishEventCarriesTheTaskIdAndItsReturnValue() throws Exception {
        tasks.dispatch("first").get(10, TimeUnit.SECONDS);
        Object value = tasks.dispatch("second").get(10, TimeUnit.SECONDS);

        TaskFinishEvent first = finishes.await(event -> String.valueOf(event.returnValue()).endsWith(": first"));
        TaskFinishEvent second = finishes.await(event -> value.equals(event.returnValue()));

        assertTrue(second.taskId() > first.taskId(), first.taskId() + " then " + second.taskId());
        assertTrue(second.succeeded());
        assertTrue(second.worker().startsWith("fastcgi-task-"), second.worker());
    }

    @Test
    void aFailingObserverFailsTheFutureAndTheFinishEventSaysWhy() throws Exception {
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> tasks.dispatch("fail").get(10, TimeUnit.SECONDS));
        TaskFinishEvent finish = finishes.await(event -> !event.succeeded());

        assertTrue(String.valueOf(failure.getCause()).contains("cannot do that")
                || String.valueOf(failure.getCause().getCause()).contains("cannot do that"), failure.toString());
        assertInstanceOf(RuntimeException.class, finish.failure());
        assertEquals(null, finish.returnValue());
    }
}
