package io.fastcgibridge.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** {@code reload --pid-file F}: asks a running {@code serve} to reload, as SIGHUP does. */
final class ReloadCommand {

    private final PrintStream out;
    private final PrintStream err;

    ReloadCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        Path pidFile;
        try {
            Flags flags = Flags.parse(args, Set.of("pid-file"), Set.of());
            if (!flags.has("pid-file")) {
                throw new IllegalArgumentException("reload needs --pid-file, the one serve was given");
            }
            pidFile = Path.of(flags.one("pid-file", ""));
        } catch (IllegalArgumentException e) {
            err.println("usage error: " + e.getMessage());
            return 2;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid)).inheritIO().start();
                if (kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0) {
                    out.println("reload requested from process " + pid);
                    return 0;
                }
            }
            err.println("no running serve with process id " + pid + " (from " + pidFile + ")");
            return 1;
        } catch (IOException | NumberFormatException e) {
            err.println("cannot read a process id from " + pidFile + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }
}
