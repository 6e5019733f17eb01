package io.fastcgibridge.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stops the workers that a PHP-FPM master leaves behind when it dies: SIGQUIT to its whole process
 * group at once (a worker busy with a request finishes it, an idle one exits), SIGKILL to any still
 * running after the grace period, and to all of them when the launcher stops. Without this they are
 * handed to init, keep the old socket and the kept connections to it, and outlive the launcher.
 *
 * <p>Threading: any thread; the SIGKILLs run on the given scheduler.
 */
final class OrphanedWorkers {

    private static final System.Logger LOG = System.getLogger("io.fastcgibridge.launcher");

    private final ScheduledExecutorService scheduler;
    private final Duration grace;
    private final List<ProcessHandle> pending = new ArrayList<>();

    OrphanedWorkers(ScheduledExecutorService scheduler, Duration grace) {
        this.scheduler = scheduler;
        this.grace = grace;
    }

    /** The master that led {@code group} has died: asks its workers to finish, kills them after the grace period. */
    void masterDied(ProcessGroup group) {
        List<ProcessHandle> workers = group.members();
        if (workers.isEmpty()) {
            return;
        }
        synchronized (this) {
            pending.addAll(workers);
        }
        group.signal("QUIT");
        LOG.log(System.Logger.Level.WARNING, "FCGI-0714 the dead PHP-FPM master {0} left {1} workers: asked them to"
                + " finish their requests and exit (SIGQUIT); those still running in {2} s are killed",
                Long.toString(group.id()), workers.size(), grace.toSeconds());
        scheduler.schedule(() -> kill(workers, group.id()), grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Kills every orphaned worker still running, at once: the launcher is stopping. */
    void killAll() {
        List<ProcessHandle> workers;
        synchronized (this) {
            workers = List.copyOf(pending);
            pending.clear();
        }
        workers.forEach(ProcessHandle::destroyForcibly);
    }

    private void kill(List<ProcessHandle> workers, long group) {
        List<ProcessHandle> running = workers.stream().filter(ProcessHandle::isAlive).toList();
        running.forEach(ProcessHandle::destroyForcibly);
        synchronized (this) {
            pending.removeAll(workers);
        }
        if (!running.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "FCGI-0715 killed {0} workers of the dead PHP-FPM master {1} still"
                    + " running after {2} s", running.size(), Long.toString(group), grace.toSeconds());
        }
    }
}
