package io.fastcgibridge.integration;

import io.fastcgibridge.event.*;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import java.util.List;

/**
 * Adds the built-in listeners to whatever CDI container loads the
 * bridge's jar, without making the whole jar a bean archive.
 */
public class BridgeExtension implements Extension {

    static final List<Class<?>> BEANS = List.of(StaticResourceListener.class, FastCgiForwardingListener.class,
            AccessLogListener.class);

    void addBuiltIns(@Observes BeforeBeanDiscovery discovery, BeanManager beans) {
        for (Class<?> type : BEANS) {
            discovery.addAnnotatedType(beans.createAnnotatedType(type), type.getName());
        }
    }
}
