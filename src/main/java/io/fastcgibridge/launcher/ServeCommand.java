package io.fastcgibridge.launcher;

import io.fastcgibridge.launcher.front.FrontSettings;
import io.fastcgibridge.servlet.BridgeConfig;
import io.fastcgibridge.servlet.BridgeOption;
import io.fastcgibridge.integration.Dispatchers;
import io.fastcgibridge.launcher.admin.AdminEndpoint;
import io.fastcgibridge.launcher.admin.AdminSettings;
import io.fastcgibridge.launcher.admin.ProbeTarget;
import io.fastcgibridge.launcher.admin.ProbeTargets;
import jakarta.enterprise.inject.spi.BeanManager;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * {@code serve}: embedded Tomcat with the FastCGI servlet on every path, until Ctrl-C or SIGTERM.
 * Every {@link BridgeOption} is a flag of the same name; {@code --host} and {@code --port} say where
 * to listen.
 */
final class ServeCommand {

    private static final Duration GRACE = Duration.ofSeconds(10);

    /** Where distributions put PHP-FPM outside users' PATH; a system property may replace them (tests). */
    private static final List<java.nio.file.Path> SYSTEM_FOLDERS = Arrays.stream(
            System.getProperty("fastcgi.bridge.fpm-folders", "/usr/sbin:/usr/local/sbin").split(":"))
            .filter(folder -> !folder.isBlank()).map(java.nio.file.Path::of).toList();

    private final PrintStream out;
    private final PrintStream err;

    ServeCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        Set<String> known = new HashSet<>(Set.of("host", "port", "classpath", "pid-file", "lifecycle-log",
                "fpm-children", "fpm-user", "max-header-count", "header-timeout", "admin-port", "admin-host",
                "fpm-ping", "fpm-status", "probe-timeout"));
        Arrays.stream(BridgeOption.values()).map(BridgeOption::key).forEach(known::add);
        known.addAll(FrontSettings.FLAGS);
        Set<String> switches = new HashSet<>(FrontSettings.SWITCHES);
        switches.add(BridgeOption.STRICT.key());
        Flags flags;
        String host;
        int port;
        UserClasspath classpath;
        LauncherSettings launcherSettings;
        PoolUser poolUser;
        BridgeConfig checked;
        HttpLimits httpLimits;
        FrontSettings front;
        AdminSettings admin;
        try {
            flags = Flags.parse(args, known, switches);
            if (flags.helpRequested() || flags.versionRequested()) {
                return Main.printed(out, flags.helpRequested() ? Main.USAGE_HEAD + usage() : Main.versionLine());
            }
            if (!flags.positional().isEmpty()) {
                throw new IllegalArgumentException("unexpected argument " + flags.positional().get(0));
            }
            host = flags.one("host", "127.0.0.1");
            port = Integer.parseInt(flags.one("port", "8080"));
            classpath = UserClasspath.of(flags.all("classpath"), ServeCommand.class.getClassLoader());
            String pidFile = flags.one("pid-file", "");
            launcherSettings = new LauncherSettings(pidFile.isEmpty() ? null : Path.of(pidFile).toAbsolutePath(),
                    !flags.one("lifecycle-log", "on").equals("off"));
            if (flags.has("fpm-user") && flags.has("fpm")) {
                throw new IllegalArgumentException("--fpm-user is for the managed PHP-FPM; with --fpm, set user in"
                        + " your own pool's configuration");
            }
            poolUser = PoolUser.of(flags.one("fpm-user", ""), isRoot());
            admin = adminSettings(flags);
            httpLimits = HttpLimits.parse(flags.one("max-header-count", ""), flags.one("header-timeout", ""));
            front = FrontSettings.parse(flags::all);
            // Every flag is checked before anything starts; the managed PHP-FPM's address comes later.
            checked = BridgeConfig.from(option -> option == BridgeOption.FPM && !flags.has("fpm")
                    ? List.of("/managed.sock") : flags.all(option.key()));
        } catch (IllegalArgumentException e) {
            err.println("usage error: " + e.getMessage());
            err.print(usage());
            return 2;
        }
        List<String> refused = checked.strict() ? StrictStart.problems(checked, !flags.has("fpm"), poolUser)
                : List.of();
        if (!refused.isEmpty()) {
            refused.forEach(problem -> err.println("cannot start (--strict): " + problem));
            return 2;
        }
        java.nio.file.Path binary = null;
        if (!flags.has("fpm")) {
            try {
                binary = PhpFpmBinary.find(System.getenv(), SYSTEM_FOLDERS);
            } catch (IllegalStateException e) {
                err.println(e.getMessage());
                return 1;
            }
        }
        CdiContainer cdi;
        try {
            cdi = CdiContainer.boot(classpath, launcherSettings);
        } catch (RuntimeException e) {
            err.println("cannot start CDI (Weld SE) with the given --classpath: " + e.getMessage());
            return 1;
        }
        Server server = new Server(cdi, Dispatchers.cdi(cdi.beanManager()));
        try {
            List<String> fpm = flags.all("fpm");
            String maxConnections = flags.one("max-connections", "");
            if (binary != null) {
                int children = Integer.parseInt(flags.one("fpm-children",
                        Integer.toString(PhpFpmPoolConfig.childrenFor(Runtime.getRuntime().availableProcessors()))));
                ManagedPhpFpm managed = server.startPhpFpm(binary, new PhpFpmPoolConfig(
                        Files.createTempDirectory("fastcgi-bridge-fpm"), children, poolUser, (int) GRACE.toSeconds()));
                fpm = List.of(managed.address());
                maxConnections = maxConnections.isEmpty() ? Integer.toString(children) : maxConnections;
            }
            List<String> backends = fpm;
            String connections = maxConnections;
            BridgeConfig config = BridgeConfig.from(option -> switch (option) {
                case FPM -> backends;
                case MAX_CONNECTIONS -> connections.isEmpty() ? List.of() : List.of(connections);
                default -> flags.all(option.key());
            });
            EmbeddedTomcat tomcat = EmbeddedTomcat.start(host, port, config, httpLimits, front, GRACE,
                    Map.of(BeanManager.class.getName(), cdi.beanManager()));
            String authority = host.contains(":") ? "[" + host + "]" : host;
            URI address = URI.create("http://" + authority + ":" + tomcat.port());
            if (admin != null) {
                List<ProbeTarget> targets = binary != null
                        ? ProbeTargets.of(config.client().backends(), PhpFpmPoolConfig.PING_PATH,
                                PhpFpmPoolConfig.STATUS_PATH, null)
                        : ProbeTargets.of(config.client().backends(), flags.one("fpm-ping", ""),
                                flags.one("fpm-status", ""), Path.of(System.getProperty("java.io.tmpdir")));
                int adminPort = AdminEndpoint.start(tomcat.server(), admin, targets).port();
                out.println("admin on http://" + (admin.host().contains(":") ? "[" + admin.host() + "]"
                        : admin.host()) + ":" + adminPort);
            }
            if (tomcat.httpsPort() >= 0) {
                // Before the http line, which tells scripts and tests that serve is up.
                out.println("listening on https://" + authority + ":" + tomcat.httpsPort());
            }
            if (launcherSettings.pidFile() != null) {
                server.openControl(ControlSocket.besidePidFile(launcherSettings.pidFile()));
            }
            server.serve(tomcat, address);
            out.println("listening on " + address);
            out.flush();
        } catch (Exception e) {
            err.println("cannot start: " + e.getMessage());
            server.stop();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        IntConsumer terminate = Signals.onTermination(() -> {
            server.stop();
            stopped.countDown();
        });
        AtomicInteger exitStatus = new AtomicInteger();
        FatalErrors.stopOnLossOfACriticalThread(status -> {
            exitStatus.set(status);
            terminate.accept(status);
        });
        server.reloadOnSighup();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return exitStatus.get();
    }

    /** The admin endpoint's settings, or {@code null} when {@code --admin-port} is not given (it is off). */
    private static AdminSettings adminSettings(Flags flags) {
        if ((flags.has("fpm-ping") || flags.has("fpm-status")) && !flags.has("fpm")) {
            throw new IllegalArgumentException("--fpm-ping and --fpm-status are for an external PHP-FPM (--fpm);"
                    + " the managed one answers " + PhpFpmPoolConfig.PING_PATH + " and " + PhpFpmPoolConfig.STATUS_PATH
                    + " itself");
        }
        if (!flags.has("admin-port")) {
            return null;
        }
        return new AdminSettings(flags.one("admin-host", AdminSettings.DEFAULT_HOST),
                Integer.parseInt(flags.one("admin-port", "")), flags.has("probe-timeout")
                        ? BridgeConfig.parseDuration(flags.one("probe-timeout", "")) : AdminSettings.DEFAULT_PROBE_TIMEOUT);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static String usage() {
        StringBuilder usage = new StringBuilder("""
                  serve --docroot DIR [--fpm ADDRESS ...] [--host 127.0.0.1] [--port 8080] [options]
                      serves DIR: PHP scripts through PHP-FPM, other files as they are; without --fpm it
                      starts and supervises its own PHP-FPM (--fpm-children N, default 2 per core, at least 4)
                      --fpm-user USER[:GROUP]  the managed PHP-FPM's workers run as USER (serve must run as root)
                      --classpath PATH[:PATH]  jars or class folders with CDI observers of the bridge's events
                      --pid-file FILE          written once listening, removed on stop
                      --lifecycle-log on|off   the start and stop log lines (default on)
                      --max-header-count N     request headers taken (then 400; default %d)
                      --header-timeout 60s     the longest a request head may take to arrive (then 408)
                      --admin-port P           serve /metrics, /health/live, /health/ready on port P (default off)
                      --admin-host 127.0.0.1   where the admin port listens (default loopback only)
                      --fpm-ping /ping         readiness pings PHP-FPM's ping.path (with --fpm; default: a script of ours)
                      --fpm-status /status     /metrics reads PHP-FPM's pm.status_path (with --fpm; default off)
                      --probe-timeout 800ms    the longest a ping or status request may take
                """.formatted(HttpLimits.DEFAULT_MAX_HEADER_COUNT)).append(FrontSettings.usage());
        for (BridgeOption option : BridgeOption.values()) {
            usage.append(String.format("      --%-18s %s%s%n", option.key(), option.help(),
                    option.defaultValue() == null || option.defaultValue().isEmpty() ? ""
                            : " (default " + option.defaultValue() + ")"));
        }
        return usage.toString();
    }
}
