package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A PHP-FPM crash, as the launcher's supervision tests cause it. */
final class PhpFpmCrash {

    private PhpFpmCrash() {
    }

    /** SIGKILLs a PHP-FPM master and all its workers, as a crash would; returns them once they are gone. */
    static List<ProcessHandle> killTree(ProcessHandle master) throws Exception {
        // Frozen first, or the master would respawn workers while they are killed.
        assertEquals(0, new ProcessBuilder("kill", "-STOP", Long.toString(master.pid())).start().waitFor());
        List<ProcessHandle> victims = new ArrayList<>(master.descendants().toList());
        victims.forEach(ProcessHandle::destroyForcibly);
        master.destroyForcibly();
        victims.add(master);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (victims.stream().anyMatch(ProcessHandle::isAlive)) {
            if (System.nanoTime() > deadline) {
                fail("PHP-FPM processes survived SIGKILL: " + victims.stream().filter(ProcessHandle::isAlive).toList());
            }
            Thread.sleep(20);
        }
        return victims;
    }
}
