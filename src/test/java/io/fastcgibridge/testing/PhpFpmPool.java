package io.fastcgibridge.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Configures the PHP-FPM pool that {@link PhpFpmExtension} starts for the annotated test class.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PhpFpmPool {

    int maxChildren() default 4;

    /** Requests a worker serves before it is replaced; 0 means never. */
    int maxRequests() default 0;

    /** Seconds after which FPM kills a worker busy with one request; 0 means never. */
    int requestTerminateTimeout() default 0;
}
