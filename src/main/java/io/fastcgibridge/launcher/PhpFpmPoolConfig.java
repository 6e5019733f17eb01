package io.fastcgibridge.launcher;

import java.nio.file.Path;

/**
 * The PHP-FPM configuration the launcher writes for its managed pool: one static pool on a Unix
 * socket that only this user can open, sized to the machine, with a grace period for reloads and
 * stops so that requests in flight finish.
 */
record PhpFpmPoolConfig(Path directory, int children, PoolUser poolUser, int graceSeconds) {

    /** PHP-FPM answers this script name itself ({@code pong}); only the bridge reaches the socket. */
    static final String PING_PATH = "/ping";
    /** PHP-FPM's pool status page, read by the admin endpoint's {@code /metrics}. */
    static final String STATUS_PATH = "/status";

    /** Two workers per core, at least four: PHP requests mostly wait on databases and files. */
    static int childrenFor(int cores) {
        return Math.max(4, cores * 2);
    }

    Path socket() {
        return directory.resolve("php-fpm.sock");
    }

    Path pidFile() {
        return directory.resolve("php-fpm.pid");
    }

    Path logFile() {
        return directory.resolve("php-fpm.log");
    }

    /** What PHP-FPM prints: the workers' output and errors it meets before its log is open. */
    Path outputFile() {
        return directory.resolve("php-fpm.out");
    }

    Path configFile() {
        return directory.resolve("php-fpm.conf");
    }

    String text() {
        return """
                ; Written by fastcgi-bridge serve for its managed PHP-FPM.
                [global]
                pid = %s
                error_log = %s
                daemonize = no
                process_control_timeout = %ds

                [bridge]
                %slisten = %s
                listen.mode = 0600
                pm = static
                pm.max_children = %d
                pm.max_requests = 1000
                catch_workers_output = yes
                decorate_workers_output = no
                clear_env = no
                ping.path = %s
                pm.status_path = %s
                """.formatted(pidFile(), logFile(), graceSeconds, poolUser.directives(), socket(), children,
                PING_PATH, STATUS_PATH);
    }
}
