package io.fastcgibridge.integration;

import io.fastcgibridge.event.*;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Registers the built-in listeners on a dispatcher without CDI, at the priorities they declare. */
final class BuiltInListeners {

    /** What a listener does, allowed to throw I/O failures. */
    private interface IoAction<E> {
        void accept(E event) throws IOException;
    }

    private BuiltInListeners() {
    }

    static FallbackEventDispatcher register(FallbackEventDispatcher dispatcher) {
        StaticResourceListener statics = new StaticResourceListener();
        FastCgiForwardingListener forwarding = new FastCgiForwardingListener();
        AccessLogListener accessLog = new AccessLogListener();
        return dispatcher
                .register(RequestEvent.class, Priorities.STATIC_RESOURCES, unchecked(statics::onRequest))
                .register(RequestEvent.class, Priorities.FORWARDING, unchecked(forwarding::onRequest))
                .register(RequestCompletedEvent.class, Priorities.DEFAULT, accessLog::onCompleted);
    }

    private static <E> java.util.function.Consumer<E> unchecked(IoAction<E> action) {
        return event -> {
            try {
                action.accept(event);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
