package io.fastcgibridge.integration;

import io.fastcgibridge.event.*;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.ObserverMethod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dispatch through a CDI container. A stoppable event is a loop over the resolved observer
 * methods, sorted by priority and notified one by one, that ends once propagation stops: CDI's own
 * {@code fire} cannot stop, and an exception to stop it would abort with an error. The events that
 * close a request are delivered by the same loop, each observer on its own. Both run with a request
 * context active, the container's own where it has one, unless the bridge's own listeners, which
 * need none, are the only observers: activating one costs more than the built-in listeners' work.
 *
 * <p>The observers of a type are resolved once: a CDI container's observer methods are fixed once
 * it has started, and the events are final classes fired without qualifiers.
 */
final class CdiEventDispatcher implements EventDispatcher, CompletionDelivery {

    /** The bridge's listeners: application scoped, they use no request-scoped bean. */
    private static final Set<Class<?>> BUILT_IN = Set.of(StaticResourceListener.class,
            FastCgiForwardingListener.class, AccessLogListener.class);

    /**
     * The observers of one event type in the order they are notified, whether one needs a request
     * context, and whether the access log is the only one (or there is none).
     */
    private record Observers(List<ObserverMethod<Object>> inOrder, boolean needRequestContext, boolean onlyAccessLog) {
    }

    private final BeanManager beans;
    private final CdiRequestContext requestContext;
    private final Map<Class<?>, Observers> observers = new ConcurrentHashMap<>();
    /** Kept, since the container caches observer resolution per {@code Event} instance. */
    private volatile Event<Object> events;

    CdiEventDispatcher(BeanManager beans) {
        this.beans = beans;
        this.requestContext = new CdiRequestContext(beans);
    }

    @Override
    public void fire(Object event) {
        Event<Object> current = events;
        if (current == null) {
            current = beans.getEvent();
            events = current;
        }
        current.fire(event);
    }

    @Override
    public void fireStoppable(StoppableEvent event) {
        Observers resolved = observers(event);
        Runnable notifyAll = () -> {
            for (ObserverMethod<Object> observer : resolved.inOrder()) {
                if (event.isPropagationStopped()) {
                    return;
                }
                observer.notify(event);
            }
        };
        if (resolved.needRequestContext()) {
            requestContext.run(notifyAll);
        } else {
            notifyAll.run();
        }
    }

    @Override
    public void deliver(List<?> events, Failure failed) {
        Runnable notifyAll = () -> {
            for (Object event : events) {
                for (ObserverMethod<Object> observer : observers(event).inOrder()) {
                    try {
                        observer.notify(event);
                    } catch (RuntimeException e) {
                        failed.observerFailed(observer.getBeanClass().getName(), e);
                    }
                }
            }
        };
        if (events.stream().anyMatch(event -> observers(event).needRequestContext())) {
            requestContext.run(notifyAll);
        } else {
            notifyAll.run();
        }
    }

    @Override
    public boolean onlyAccessLogObserves(List<?> events) {
        return events.stream().allMatch(event -> observers(event).onlyAccessLog());
    }

    private Observers observers(Object event) {
        return observers.computeIfAbsent(event.getClass(), type -> resolve(event));
    }

    /** The synchronous observers of {@code event}, lowest priority first. */
    @SuppressWarnings("unchecked")
    private Observers resolve(Object event) {
        List<ObserverMethod<Object>> found = new ArrayList<>();
        for (ObserverMethod<? super Object> observer : beans.resolveObserverMethods(event)) {
            if (!observer.isAsync()) {
                found.add((ObserverMethod<Object>) observer);
            }
        }
        found.sort(Comparator.comparingInt(ObserverMethod::getPriority));
        boolean needRequestContext = found.stream().anyMatch(observer -> !BUILT_IN.contains(observer.getBeanClass()));
        boolean onlyAccessLog = found.stream().allMatch(observer -> observer.getBeanClass() == AccessLogListener.class);
        return new Observers(List.copyOf(found), needRequestContext, onlyAccessLog);
    }

    /** Whether some observer of {@code type} is declared by a class of that name. */
    boolean hasObserver(Object probe, Class<?> declaringClass) {
        return beans.resolveObserverMethods(probe).stream()
                .anyMatch(observer -> observer.getBeanClass().equals(declaringClass));
    }
}
