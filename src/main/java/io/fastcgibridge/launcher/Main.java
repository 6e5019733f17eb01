package io.fastcgibridge.launcher;

import java.io.PrintStream;
import java.util.Arrays;

/** The entry point of {@code fastcgi-bridge.jar}: picks the command and hands over to it. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command and returns the process exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            err.print(usage());
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
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

    private static String usage() {
        return """
                usage: java -jar fastcgi-bridge.jar COMMAND ...
                  call ADDRESS SCRIPT [name=value ...] [--include] [--timeout 60s]
                      runs SCRIPT at the FastCGI ADDRESS (host:port, unix:///path.sock, /path.sock)
                      and prints its body; fields make a POST form, none a GET
                """ + ServeCommand.usage() + """
                  reload --pid-file F [--timeout 60s]
                      asks the serve that wrote F to reload, through its control socket F.sock, and waits:
                      PHP-FPM reloads gracefully; exits 0 once it did, 1 with the reason when it did not
                  bench ADDRESS SCRIPT [--concurrency 16] [--duration 10s] [--post name=value]
                      FastCGI load straight to PHP-FPM: req/s, p50, p99 and errors
                """;
    }
}
