package io.fastcgibridge.servlet;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Logs each refused symbolic link once, however often it is asked for, so a hot path costs one
 * line and not one a request. The set of links already logged is bounded: past {@link #LIMIT}
 * distinct links a single line says so and further ones are answered 404 without a line.
 */
final class RefusedLinks {

    static final int LIMIT = 1024;
    private static final System.Logger LOG = System.getLogger(RefusedLinks.class.getName());

    private final SymlinkPolicy policy;
    private final Set<Path> logged = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean full = new AtomicBoolean();

    RefusedLinks(SymlinkPolicy policy) {
        this.policy = policy;
    }

    /** Records that {@code link} was refused for {@code why}, logging it the first time. */
    void refused(Path link, String why) {
        if (logged.size() < LIMIT) {
            if (logged.add(link)) {
                LOG.log(System.Logger.Level.WARNING, "FCGI-0610 symbolic link not followed (symlinks {0}): {1}: {2};"
                        + " answered 404, logged once per link", policy.name().toLowerCase(java.util.Locale.ROOT),
                        link, why);
            }
        } else if (full.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "FCGI-0611 {0} distinct symbolic links refused: further ones are"
                    + " answered 404 without a log line", LIMIT);
        }
    }
}
