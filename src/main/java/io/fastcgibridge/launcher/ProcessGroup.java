package io.fastcgibridge.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A process group, found through Linux's {@code /proc} (elsewhere it has no members): PHP-FPM's
 * master makes itself the leader of one at start ({@code setsid()}, also in the foreground), so its
 * workers are still found by the group when the master has died and they were handed to init. The
 * id stays reserved by the kernel while any member lives, so signalling the group never reaches a
 * process that merely reused the number.
 */
record ProcessGroup(long id) {

    private static final Path PROC = Path.of("/proc");

    /** The processes in the group now, as handles that tell a reused pid from the original. */
    List<ProcessHandle> members() {
        if (!Files.isDirectory(PROC)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(PROC)) {
            return entries.map(entry -> entry.getFileName().toString())
                    .filter(name -> name.chars().allMatch(Character::isDigit))
                    .filter(pid -> groupOf(pid).filter(group -> group == id).isPresent())
                    .map(pid -> ProcessHandle.of(Long.parseLong(pid)))
                    .flatMap(Optional::stream)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + PROC, e);
        }
    }

    /** Sends {@code signal} (a name such as {@code QUIT}) to every member at once. */
    void signal(String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, "--", "-" + id).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal process group " + id, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The fifth field of {@code /proc/PID/stat}; the second, the command name, may hold spaces and parentheses. */
    private static Optional<Long> groupOf(String pid) {
        try {
            String stat = Files.readString(PROC.resolve(pid).resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Long.parseLong(fields[2]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone meanwhile, or not ours to read
        }
    }
}
