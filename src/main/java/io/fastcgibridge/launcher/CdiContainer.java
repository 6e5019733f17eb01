package io.fastcgibridge.launcher;

import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import java.util.ServiceLoader;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * Weld SE for the launcher: the bridge's built-in listeners (through its extensions), the user's
 * observers from {@code --classpath} (archives with a {@code beans.xml} are discovered, the others
 * contribute their annotated classes), and the launcher's own listeners.
 */
final class CdiContainer implements AutoCloseable {

    private final WeldContainer container;

    private CdiContainer(WeldContainer container) {
        this.container = container;
    }

    static CdiContainer boot(UserClasspath classpath, LauncherSettings settings) {
        Weld weld = new Weld("fastcgi-bridge")
                .setClassLoader(classpath.loader())
                .addExtension(new LauncherExtension(settings))
                .addBeanClass(LauncherListeners.class)
                .skipShutdownHook();
        if (!classpath.hasBeanArchive()) {
            // Discovery would fail for want of any beans.xml. Without it Weld loads no extension by
            // itself, so the bridge's (which add the built-in listeners) are added here.
            weld.disableDiscovery();
            ServiceLoader.load(Extension.class, classpath.loader()).forEach(weld::addExtension);
        }
        classpath.undiscoveredBeans().forEach(weld::addBeanClass);
        return new CdiContainer(weld.initialize());
    }

    BeanManager beanManager() {
        return container.getBeanManager();
    }

    @Override
    public void close() {
        container.shutdown();
    }
}
