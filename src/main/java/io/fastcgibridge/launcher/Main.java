package io.fastcgibridge.launcher;

import java.io.PrintStream;
import java.util.Arrays;

/** The entry point of {@code fastcgi-bridge.jar}: picks the command and hands over to it. */
public final class Main {

    /** The first line of every usage text. */
    static final String USAGE_HEAD = "usage: java -jar fastcgi-bridge.jar COMMAND ...\n";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command and returns the process exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(usage());
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "--help", "-h", "help" -> printed(out, usage());
            case "--version", "version" -> printed(out, versionLine());
            case "call" -> new CallCommand(out, err).run(rest);
            case "serve" -> new ServeCommand(out, err).run(rest);
            case "reload" -> new ReloadCommand(out, err).run(rest);
            case "bench" -> new BenchCommand(out, err).run(rest);
            default -> {
                err.println("unknown command '" + args[0] + "'");
                err.print(usage());
                yield 2;
            }
        };
    }

    /** Prints {@code text} as asked for ({@code --help}, {@code --version}) and returns the status 0. */
    static int printed(PrintStream out, String text) {
        out.print(text);
        out.flush();
        return 0;
    }

    /** {@code fastcgi-bridge VERSION}, the version from the jar's manifest. */
    static String versionLine() {
        String version = Main.class.getPackage().getImplementationVersion();
        return "fastcgi-bridge " + (version == null ? "(version unknown: not run from its jar)" : version) + "\n";
    }

    private static String usage() {
        return USAGE_HEAD + CallCommand.usage() + ServeCommand.usage() + ReloadCommand.usage()
                + BenchCommand.usage() + """
                  --help, -h after any command prints its usage; --version prints the version
                """;
    }
}
