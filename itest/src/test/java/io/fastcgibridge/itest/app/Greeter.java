package io.fastcgibridge.itest.app;

import jakarta.enterprise.context.ApplicationScoped;

/** Deployed in the WARs only: an application bean, resolved at start and stop to show CDI is up. */
@ApplicationScoped
public class Greeter {

    public String greeting() {
        return "cdi-ok";
    }
}
