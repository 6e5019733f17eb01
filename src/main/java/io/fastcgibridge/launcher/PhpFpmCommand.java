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
 * The command line that starts the managed PHP-FPM master: where util-linux is installed (every
 * Linux distribution), through {@code setpriv --pdeathsig TERM}, so that a launcher killed outright
 * (SIGKILL, out of memory) takes PHP-FPM with it: the master gets SIGTERM and stops its workers.
 * No {@code setsid} is needed: PHP-FPM makes itself a session and process group leader at start,
 * in the foreground too.
 *
 * @param wrappers the program and arguments put before PHP-FPM's own command, if any
 */
record PhpFpmCommand(List<String> wrappers) {

    private static final System.Logger LOG = System.getLogger("io.fastcgibridge.launcher");

    public PhpFpmCommand {
        wrappers = List.copyOf(wrappers);
    }

    /** Uses what this machine has, and says what is lost without it. */
    static PhpFpmCommand detect() {
        Optional<Path> setpriv = find("setpriv").filter(PhpFpmCommand::knowsParentDeathSignal);
        if (setpriv.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "FCGI-0713 setpriv with --pdeathsig (util-linux) not found: if serve"
                    + " is killed with SIGKILL, its PHP-FPM keeps running");
        }
        return new PhpFpmCommand(setpriv.map(path -> List.of(path.toString(), "--pdeathsig", "TERM"))
                .orElse(List.of()));
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
            if (!probe.waitFor(5, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return false;
            }
            return probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
