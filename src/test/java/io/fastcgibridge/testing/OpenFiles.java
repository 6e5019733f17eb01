package io.fastcgibridge.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * This JVM's open files, from {@code /proc/self/fd} (Linux): temporary files that are unlinked at
 * once leave nothing else to check that they were freed.
 */
public final class OpenFiles {

    private static final Path FDS = Path.of("/proc/self/fd");

    private OpenFiles() {
    }

    /** Whether open files can be listed here. */
    public static boolean listable() {
        return Files.isDirectory(FDS);
    }

    /** How many open file descriptors point at a file whose path contains {@code part}. */
    public static int count(String part) throws IOException {
        int count = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().contains(part)) {
                        count++;
                    }
                } catch (IOException e) {
                    // closed while listing
                }
            }
        }
        return count;
    }

    /** Waits up to {@code seconds} for no open file's path to contain {@code part}; returns how many are left. */
    public static int awaitNone(String part, long seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int left = count(part);
        while (left > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            left = count(part);
        }
        return left;
    }
}
