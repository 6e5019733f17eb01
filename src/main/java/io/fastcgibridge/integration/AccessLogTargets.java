package io.fastcgibridge.integration;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where each servlet of this web application writes its access log ({@code access-log}), by servlet
 * name: a completion event names its servlet, and the access-log listener is one bean for all.
 */
final class AccessLogTargets {

    private static final Map<String, String> TARGETS = new ConcurrentHashMap<>();

    private AccessLogTargets() {
    }

    static void put(String servletName, String target) {
        TARGETS.put(servletName, target);
    }

    static void remove(String servletName) {
        TARGETS.remove(servletName);
    }

    /** The target, or empty for none. */
    static String of(String servletName) {
        return TARGETS.getOrDefault(servletName, "");
    }
}
