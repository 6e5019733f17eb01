package io.fastcgibridge.itest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One standalone Tomcat distribution as an operator runs it: {@code catalina.sh run} on a
 * {@code CATALINA_BASE} of its own (the distribution's conf, loopback connector on a free port, no
 * shutdown port), WARs dropped into {@code webapps/}, its console in {@code catalina.out}.
 */
final class StandaloneTomcat {

    private final Path home;
    private final Path base;
    private final Path console;
    private final int port;
    private Process process;

    private StandaloneTomcat(Path home, Path base, int port) {
        this.home = home;
        this.base = base;
        this.console = base.resolve("catalina.out");
        this.port = port;
    }

    /** A fresh base under {@code work} for the distribution unpacked at {@code home}. */
    static StandaloneTomcat prepare(Path home, Path work) throws IOException {
        if (!Files.isDirectory(home)) {
            throw new IllegalStateException("the Tomcat distribution is not unpacked at " + home);
        }
        Path base = work.resolve("base");
        for (String folder : List.of("conf", "webapps", "logs", "temp", "work")) {
            Files.createDirectories(base.resolve(folder));
        }
        copyTree(home.resolve("conf"), base.resolve("conf"));
        StandaloneTomcat tomcat = new StandaloneTomcat(home, base, freePort());
        Path server = base.resolve("conf/server.xml");
        Files.writeString(server, Files.readString(server)
                .replace("<Server port=\"8005\"", "<Server port=\"-1\"")
                .replace("<Connector port=\"8080\"", "<Connector port=\"" + tomcat.port + "\" address=\"127.0.0.1\""));
        return tomcat;
    }

    /** Drops {@code war} into {@code webapps/} as {@code NAME.war}, with a context file of its own. */
    void deploy(String name, Path war, String contextXml) throws IOException {
        Path contextFile = base.resolve("conf/Catalina/localhost/" + name + ".xml");
        Files.createDirectories(contextFile.getParent());
        Files.writeString(contextFile, contextXml);
        Files.copy(war, base.resolve("webapps/" + name + ".war"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes the WAR, as an operator undeploys: Tomcat's deployer notices within its check interval. */
    void undeploy(String name) throws IOException {
        Files.delete(base.resolve("webapps/" + name + ".war"));
    }

    /** Starts {@code catalina.sh run} with {@code catalinaOpts} (system properties for the WARs). */
    void start(String catalinaOpts) throws IOException {
        ProcessBuilder catalina = new ProcessBuilder(home.resolve("bin/catalina.sh").toString(), "run")
                .redirectErrorStream(true)
                .redirectOutput(console.toFile());
        catalina.environment().put("CATALINA_HOME", home.toString());
        catalina.environment().put("CATALINA_BASE", base.toString());
        catalina.environment().put("CATALINA_OPTS", catalinaOpts);
        catalina.environment().put("JAVA_HOME", System.getProperty("java.home"));
        catalina.environment().put("CATALINA_PID", base.resolve("catalina.pid").toString());
        process = catalina.start();
    }

    /** Stops it as a service manager does (SIGTERM, Tomcat's orderly shutdown); true when it ended in time. */
    boolean stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return true;
        }
        process.destroy();
        if (process.waitFor(60, TimeUnit.SECONDS)) {
            return true;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return false;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    List<String> consoleLines() throws IOException {
        return Files.exists(console) ? Files.readAllLines(console) : List.of();
    }

    /** The console's last lines, for a failure message. */
    String consoleTail() {
        try {
            List<String> lines = consoleLines();
            return "\n--- catalina.out ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 60),
                    lines.size()));
        } catch (IOException e) {
            return "\n(no catalina.out: " + e + ")";
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
