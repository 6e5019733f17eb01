package io.fastcgibridge.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts one real PHP-FPM per test class (configured by {@link PhpFpmPool}) and injects it as a
 * {@link PhpFpm} parameter into constructors, lifecycle methods and tests.
 */
public final class PhpFpmExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final String KEY = "php-fpm";

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        PhpFpmSettings settings = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), PhpFpmPool.class)
                .map(pool -> PhpFpmSettings.defaults()
                        .withMaxChildren(pool.maxChildren())
                        .withMaxRequests(pool.maxRequests())
                        .withRequestTerminateTimeoutSeconds(pool.requestTerminateTimeout()))
                .orElseGet(PhpFpmSettings::defaults);
        store(context).put(KEY, PhpFpm.start(settings));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        PhpFpm fpm = store(context).remove(KEY, PhpFpm.class);
        if (fpm != null) {
            fpm.stop();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == PhpFpm.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        PhpFpm fpm = store(extensionContext).get(KEY, PhpFpm.class);
        if (fpm == null) {
            throw new IllegalStateException("No PHP-FPM running for " + extensionContext.getRequiredTestClass());
        }
        return fpm;
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
        return context.getStore(ExtensionContext.Namespace.create(PhpFpmExtension.class, context.getRequiredTestClass()));
    }
}
