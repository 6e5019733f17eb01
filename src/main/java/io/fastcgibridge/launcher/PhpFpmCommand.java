package io.fastcgibridge.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The command line that starts the managed PHP-FPM master. Where util-linux is installed (every
 * Linux distribution), it goes through {@code setsid}, so that the master leads a process group of
 * its own and its workers can be found and stopped once it has died, and through {@code setpriv
 * --pdeathsig TERM}, so that a launcher killed outright (SIGKILL, out of memory) takes PHP-FPM with
 * it: the master gets SIGTERM and stops its workers.
 *
 * @param wrappers the programs and arguments put before PHP-FPM's own command
 * @param ownProcessGroup whether the master leads a process group of its own
 */
record PhpFpmCommand(List<String> wrappers, boolean ownProcessGroup) {

    private static final System.Logger LOG = System.getLogger("io.fastcgibridge.launcher");

    public PhpFpmCommand {
        wrappers = List.copyOf(wrappers);
    }

    /** Uses what this machine has, and says what is lost without it. */
    static PhpFpmCommand detect() {
        Optional<Path> setsid = find("setsid");
        Optional<Path> setpriv = find("setpriv").filter(PhpFpmCommand::knowsParentDeathSignal);
        List<String> wrappers = new ArrayList<>();
        setsid.ifPresent(path -> wrappers.add(path.toString()));
        setpriv.ifPresent(path -> wrappers.addAll(List.of(path.toString(), "--pdeathsig", "TERM")));
        if (setsid.isEmpty() || setpriv.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "FCGI-0713 {0} not found (util-linux): {1}",
                    setsid.isEmpty() ? "setsid" : "setpriv with --pdeathsig",
                    setsid.isEmpty() ? "if the PHP-FPM master dies, its workers are not stopped and outlive serve"
                            : "if serve is killed with SIGKILL, its PHP-FPM keeps running");
        }
        return new PhpFpmCommand(wrappers, setsid.isPresent());
    }

    /** The whole command: wrappers, then PHP-FPM in the foreground with the pool's configuration. */
    List<String> forMaster(Path binary, PhpFpmPoolConfig config) {
        List<String> command = new ArrayList<>(wrappers);
        command.addAll(List.of(binary.toString(), "-F", "-y", config.configFile().toString()));
        if (config.poolUser().isRoot()) {
            command.add("-R");
        }
        return command;
    }

    private static Optional<Path> find(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        List<String> folders = new ArrayList<>(List.of(path.split(File.pathSeparator)));
        folders.addAll(List.of("/usr/bin", "/bin"));
        return folders.stream().filter(folder -> !folder.isBlank())
                .map(folder -> Path.of(folder, program))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** util-linux has had {@code --pdeathsig} since 2.33 (2018); an older one would fail PHP-FPM's start. */
    private static boolean knowsParentDeathSignal(Path setpriv) {
        try {
            Process probe = new ProcessBuilder(setpriv.toString(), "--pdeathsig", "TERM", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
