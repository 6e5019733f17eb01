package io.fastcgibridge.launcher;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;

/** Makes the command line's {@link LauncherSettings} injectable into the launcher's listeners. */
final class LauncherExtension implements Extension {

    private final LauncherSettings settings;

    LauncherExtension(LauncherSettings settings) {
        this.settings = settings;
    }

    void addSettings(@Observes AfterBeanDiscovery discovery) {
        discovery.addBean().types(LauncherSettings.class, Object.class).scope(Dependent.class)
                .beanClass(LauncherSettings.class).createWith(context -> settings);
    }
}
