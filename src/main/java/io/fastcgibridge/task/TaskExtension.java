package io.fastcgibridge.task;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;

/** Makes {@link TaskDispatcher} injectable in whatever CDI container loads the bridge's jar. */
public class TaskExtension implements Extension {

    void addTaskDispatcher(@Observes BeforeBeanDiscovery discovery, BeanManager beans) {
        discovery.addAnnotatedType(beans.createAnnotatedType(TaskDispatcher.class), TaskDispatcher.class.getName());
    }
}
