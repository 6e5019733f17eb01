package io.fastcgibridge.launcher.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Ready when at least one backend answers its FastCGI ping within the probe timeout. All backends
 * are pinged at once, so the answer takes at most one timeout.
 */
final class Readiness {

    /** The verdict and, per backend, {@code ok} or why not. */
    record Verdict(boolean ready, Map<String, String> backends) {

        /** {@code {"status":"ready",...}} or {@code {"status":"not ready","reason":...,...}}. */
        String json() {
            StringBuilder json = new StringBuilder("{\"status\":\"").append(ready ? "ready" : "not ready").append('"');
            if (!ready) {
                json.append(",\"reason\":\"no PHP-FPM backend answered its FastCGI ping\"");
            }
            json.append(",\"backends\":{");
            String separator = "";
            for (Map.Entry<String, String> backend : backends.entrySet()) {
                json.append(separator).append(Json.string(backend.getKey())).append(':')
                        .append(Json.string(backend.getValue()));
                separator = ",";
            }
            return json.append("}}").toString();
        }
    }

    private final List<BackendProbe> probes;

    Readiness(List<BackendProbe> probes) {
        this.probes = List.copyOf(probes);
    }

    Verdict check() {
        List<CompletableFuture<String>> pings = new ArrayList<>();
        probes.forEach(probe -> pings.add(probe.ping()));
        Map<String, String> backends = new LinkedHashMap<>();
        boolean ready = false;
        for (int i = 0; i < probes.size(); i++) {
            String why = pings.get(i).join();
            ready |= why == null;
            backends.put(probes.get(i).target().backend().toString(), why == null ? "ok" : why);
        }
        return new Verdict(ready, backends);
    }
}
