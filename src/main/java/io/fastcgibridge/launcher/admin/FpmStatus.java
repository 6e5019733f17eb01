package io.fastcgibridge.launcher.admin;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What PHP-FPM's status page ({@code pm.status_path?json&full}) says about its pool. The workers
 * are counted from their own states: PHP-FPM 8.2's "active processes" total drifts (it read 8 in
 * a pool of 6 whose workers were mostly idle). A worker holding a kept connection between
 * requests ("Reading headers") is active: it serves no one else. The status request itself is
 * served by a worker, so {@code activeProcesses} is at least 1.
 *
 * @param activeProcesses workers serving a request
 * @param idleProcesses workers waiting for one
 * @param listenQueue connections waiting in the listen backlog for a free worker
 * @param maxChildrenReached times the pool hit {@code pm.max_children}, since PHP-FPM started
 * @param slowRequests requests past {@code request_slowlog_timeout}, since PHP-FPM started
 */
public record FpmStatus(long activeProcesses, long idleProcesses, long listenQueue, long maxChildrenReached,
        long slowRequests) {

    private static final Pattern FIELD = Pattern.compile("\"([a-z ]+)\"\\s*:\\s*(\\d+)");
    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([^\"]*)\"");

    /** Reads the JSON PHP-FPM writes; the figures are flat {@code "name":number} pairs. */
    static FpmStatus parse(String json) {
        long[] values = {-1, -1, -1, -1, -1};
        String[] names = {"active processes", "idle processes", "listen queue", "max children reached",
            "slow requests"};
        Matcher field = FIELD.matcher(json);
        while (field.find()) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(field.group(1))) {
                    values[i] = Long.parseLong(field.group(2));
                }
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (values[i] < 0) {
                throw new IllegalArgumentException("PHP-FPM's status has no \"" + names[i] + "\": is the status"
                        + " path right?");
            }
        }
        if (json.contains("\"processes\"")) {
            long idle = 0;
            long active = 0;
            Matcher state = STATE.matcher(json);
            while (state.find()) {
                if (state.group(1).equals("Idle")) {
                    idle++;
                } else {
                    active++;
                }
            }
            values[0] = active;
            values[1] = idle;
        }
        return new FpmStatus(values[0], values[1], values[2], values[3], values[4]);
    }
}
