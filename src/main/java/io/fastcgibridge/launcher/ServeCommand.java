package io.fastcgibridge.launcher;

import io.fastcgibridge.servlet.BridgeConfig;
import io.fastcgibridge.servlet.BridgeOption;
import io.fastcgibridge.event.Dispatchers;
import io.fastcgibridge.event.EventDispatcher;
import io.fastcgibridge.event.ServerShutdownEvent;
import io.fastcgibridge.event.ServerStartEvent;
import jakarta.enterprise.inject.spi.BeanManager;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
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
        Set<String> known = new HashSet<>(Set.of("host", "port", "classpath", "pid-file", "lifecycle-log"));
        Arrays.stream(BridgeOption.values()).map(BridgeOption::key).forEach(known::add);
        String host;
        int port;
        BridgeConfig config;
        UserClasspath classpath;
        LauncherSettings launcherSettings;
        try {
            Flags flags = Flags.parse(args, known, Set.of());
            if (!flags.positional().isEmpty()) {
                throw new IllegalArgumentException("unexpected argument " + flags.positional().get(0));
            }
            host = flags.one("host", "127.0.0.1");
            port = Integer.parseInt(flags.one("port", "8080"));
            config = BridgeConfig.from(option -> flags.all(option.key()));
            classpath = UserClasspath.of(flags.all("classpath"), ServeCommand.class.getClassLoader());
            String pidFile = flags.one("pid-file", "");
            launcherSettings = new LauncherSettings(pidFile.isEmpty() ? null : Path.of(pidFile).toAbsolutePath(),
                    !flags.one("lifecycle-log", "on").equals("off"));
        } catch (IllegalArgumentException e) {
            err.println("usage error: " + e.getMessage());
            err.print(usage());
            return 2;
        }
        CdiContainer cdi;
        EmbeddedTomcat tomcat;
        try {
            cdi = CdiContainer.boot(classpath, launcherSettings);
        } catch (RuntimeException e) {
            err.println("cannot start CDI (Weld SE) with the given --classpath: " + e.getMessage());
            return 1;
        }
        try {
            tomcat = EmbeddedTomcat.start(host, port, config, GRACE,
                    Map.of(BeanManager.class.getName(), cdi.beanManager()));
        } catch (Exception e) {
            cdi.close();
            err.println("cannot start: " + e.getMessage());
            return 1;
        }
        EventDispatcher events = Dispatchers.forContext(tomcat.servletContext());
        URI address = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + tomcat.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Signals.onTermination(() -> {
            events.fire(new ServerShutdownEvent(""));
            tomcat.stop();
            cdi.close();
            stopped.countDown();
        });
        events.fire(new ServerStartEvent(address, ""));
        out.println("listening on " + address);
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
                      --classpath PATH[:PATH]  jars or class folders with CDI observers of the bridge's events
                      --pid-file FILE          written once listening, removed on stop
                      --lifecycle-log on|off   the start and stop log lines (default on)
                """);
        for (BridgeOption option : BridgeOption.values()) {
            usage.append(String.format("      --%-18s %s%s%n", option.key(), option.help(),
                    option.defaultValue() == null || option.defaultValue().isEmpty() ? ""
                            : " (default " + option.defaultValue() + ")"));
        }
        return usage.toString();
    }
}
