package io.fastcgibridge.launcher;

import io.fastcgibridge.servlet.BridgeConfig;
import io.fastcgibridge.servlet.BridgeOption;
import io.fastcgibridge.servlet.StartupChecks;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code serve --strict}: what stops serve before anything starts, where it would otherwise start
 * and warn: a failed {@link StartupChecks start-up check}, or a managed PHP-FPM that would run PHP
 * as root.
 */
final class StrictStart {

    private StrictStart() {
    }

    /**
     * One line per problem, each naming its flag; none when serve may start.
     *
     * @param managed whether serve starts its own PHP-FPM (whose address is not known yet, and is surely up)
     */
    static List<String> problems(BridgeConfig config, boolean managed, PoolUser poolUser) {
        List<String> problems = new ArrayList<>();
        for (StartupChecks.Problem problem : StartupChecks.of(config)) {
            if (!(managed && problem.option() == BridgeOption.FPM)) {
                problems.add("--" + problem.text());
            }
        }
        if (managed && poolUser.isRoot()) {
            problems.add("PHP would run as root (serve runs as root and manages PHP-FPM): give --fpm-user USER[:GROUP]"
                    + " or run serve as an unprivileged user");
        }
        return problems;
    }
}
