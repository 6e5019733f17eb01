package io.fastcgibridge.launcher;

import io.fastcgibridge.servlet.BridgeConfig;
import io.fastcgibridge.servlet.BridgeOption;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code serve}: embedded Tomcat with the FastCGI servlet on every path, until Ctrl-C or SIGTERM.
 * Every {@link BridgeOption} is a flag of the same name; {@code --host} and {@code --port} say where
 * to listen.
 */
final class ServeCommand {

    private static final Duration GRACE = Duration.ofSeconds(10);

    private final PrintStream out;
    private final PrintStream err;

    ServeCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        Set<String> known = new HashSet<>(Set.of("host", "port"));
        Arrays.stream(BridgeOption.values()).map(BridgeOption::key).forEach(known::add);
        String host;
        int port;
        BridgeConfig config;
        try {
            Flags flags = Flags.parse(args, known, Set.of());
            if (!flags.positional().isEmpty()) {
                throw new IllegalArgumentException("unexpected argument " + flags.positional().get(0));
            }
            host = flags.one("host", "127.0.0.1");
            port = Integer.parseInt(flags.one("port", "8080"));
            config = BridgeConfig.from(option -> flags.all(option.key()));
        } catch (IllegalArgumentException e) {
            err.println("usage error: " + e.getMessage());
            err.print(usage());
            return 2;
        }
        EmbeddedTomcat tomcat;
        try {
            tomcat = EmbeddedTomcat.start(host, port, config, GRACE);
        } catch (Exception e) {
            err.println("cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Signals.onTermination(() -> {
            tomcat.stop();
            stopped.countDown();
        });
        out.println("listening on http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + tomcat.port());
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    static String usage() {
        StringBuilder usage = new StringBuilder("""
                  serve --docroot DIR --fpm ADDRESS [--fpm ADDRESS ...] [--host 127.0.0.1] [--port 8080] [options]
                      serves DIR: PHP scripts through PHP-FPM, other files as they are
                """);
        for (BridgeOption option : BridgeOption.values()) {
            usage.append(String.format("      --%-18s %s%s%n", option.key(), option.help(),
                    option.defaultValue() == null || option.defaultValue().isEmpty() ? ""
                            : " (default " + option.defaultValue() + ")"));
        }
        return usage.toString();
    }
}
