package io.fastcgibridge.integration;

import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Runs observers with a CDI request context active, through CDI's portable
 * {@link RequestContextController}: where one is active already (Weld Servlet on a container thread)
 * that one is used; elsewhere (a completion thread, the launcher's Weld SE) a new one lives for the
 * work and is destroyed after it, with its {@code @RequestScoped} beans.
 *
 * <p>Controllers are kept for reuse, one per thread using one at a time: Weld builds each with
 * its event resolutions, which cost more than the activation itself.
 */
final class CdiRequestContext {

    private final BeanManager beans;
    private volatile Bean<?> controllerBean;
    private final ConcurrentLinkedQueue<RequestContextController> spare = new ConcurrentLinkedQueue<>();

    CdiRequestContext(BeanManager beans) {
        this.beans = beans;
    }

    void run(Runnable work) {
        RequestContextController controller = spare.poll();
        if (controller == null) {
            controller = newController();
        }
        boolean activated = controller.activate();
        try {
            work.run();
        } finally {
            try {
                if (activated) {
                    controller.deactivate();
                }
            } finally {
                spare.offer(controller);
            }
        }
    }

    private RequestContextController newController() {
        Bean<?> bean = controllerBean();
        CreationalContext<?> creation = beans.createCreationalContext(bean);
        return (RequestContextController) beans.getReference(bean, RequestContextController.class, creation);
    }

    private Bean<?> controllerBean() {
        Bean<?> bean = controllerBean;
        if (bean == null) {
            bean = beans.resolve(beans.getBeans(RequestContextController.class));
            controllerBean = bean;
        }
        return bean;
    }
}
