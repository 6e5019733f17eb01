package io.fastcgibridge.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fastcgibridge.launcher.front.CidrPattern;
import io.fastcgibridge.servlet.BridgeConfig;
import io.fastcgibridge.servlet.BridgeOption;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployment files under {@code deploy/} agree with each other and with the bridge: the values a
 * user must keep in step by hand (ports, socket paths, pool sizes, timeouts, stop sequences) are
 * checked here, so that an edit breaking one of them fails the build rather than a rollout.
 */
class DeployManifestsTest {

    private static final Path DEPLOY = Path.of(System.getProperty("basedir", ".")).resolve("deploy");
    private static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
    private static final Path POOL_FILE = DEPLOY.resolve("php-fpm/fastcgi-bridge.conf");
    private static final Path SYSTEMD_UNIT = DEPLOY.resolve("systemd/fastcgi-bridge.service");
    private static final Path TOMCAT_CONNECTOR = DEPLOY.resolve("tomcat/server-connector.xml");

    /** How long the launcher lets requests in flight finish on SIGTERM ({@code ServeCommand.GRACE}). */
    private static final Duration BRIDGE_GRACE = Duration.ofSeconds(10);
    private static final String BRIDGE = "bridge";
    private static final String PHP_FPM = "php-fpm";
    /** Settings PHP-FPM accepts only in [global]; in a pool section they stop PHP-FPM from starting. */
    private static final Set<String> GLOBAL_ONLY = Set.of("pid", "error_log", "syslog.facility", "syslog.ident",
            "log_level", "log_limit", "log_buffering", "emergency_restart_threshold", "emergency_restart_interval",
            "process_control_timeout", "process.max", "daemonize", "rlimit_files", "rlimit_core", "events.mechanism",
            "systemd_interval", "include");

    private static final List<Manifest> MANIFESTS = new ArrayList<>();

    /** One YAML document and the file it came from. */
    private record Manifest(String file, Map<String, Object> content) {
        String kind() {
            return String.valueOf(content.get("kind"));
        }
    }

    @BeforeAll
    static void loadKubernetesManifests() throws IOException {
        assertTrue(Files.isDirectory(KUBERNETES), KUBERNETES.toAbsolutePath() + " is missing (basedir "
                + System.getProperty("basedir", "unset") + ")");
        MANIFESTS.clear();
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Path> files;
        try (Stream<Path> listing = Files.list(KUBERNETES)) {
            files = listing.filter(file -> file.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no YAML file in " + KUBERNETES);
        for (Path file : files) {
            try (Reader reader = Files.newBufferedReader(file)) {
                for (Object document : yaml.loadAll(reader)) {
                    if (document == null) {
                        continue;
                    }
                    assertTrue(document instanceof Map, file.getFileName() + ": a document is not a mapping");
                    MANIFESTS.add(new Manifest(file.getFileName().toString(), map(document, file.getFileName().toString())));
                }
            }
        }
    }

    // ---------------------------------------------------------------- Kubernetes: Service and HPA

    @Test
    void serviceSelectorMatchesThePodLabels() {
        Map<String, Object> selector = map(at(one("Service"), "spec", "selector"), "Service spec.selector");
        Map<String, Object> labels = podLabels();
        assertFalse(selector.isEmpty(), "the Service has an empty selector: it would select every pod of the namespace");
        selector.forEach((key, value) -> assertEquals(String.valueOf(value), String.valueOf(labels.get(key)),
                "the Service selects " + key + "=" + value + " but the Deployment's pods are labelled " + labels
                        + ": the Service would have no endpoints"));
    }

    @Test
    void deploymentSelectorMatchesItsOwnPodLabels() {
        Map<String, Object> matchLabels = map(at(one("Deployment"), "spec", "selector", "matchLabels"),
                "Deployment spec.selector.matchLabels");
        Map<String, Object> labels = podLabels();
        matchLabels.forEach((key, value) -> assertEquals(String.valueOf(value), String.valueOf(labels.get(key)),
                "the Deployment selects " + key + "=" + value + " but its pod template is labelled " + labels));
    }

    @Test
    void serviceTargetPortIsAPortOfTheBridgeContainer() {
        List<Object> ports = list(at(one("Service"), "spec", "ports"), "Service spec.ports");
        assertFalse(ports.isEmpty(), "the Service has no ports");
        for (Object port : ports) {
            Object target = map(port, "Service port").get("targetPort");
            if (target == null) {
                target = map(port, "Service port").get("port");
            }
            int resolved = containerPort(container(BRIDGE), target);
            assertTrue(resolved > 0, "the Service's targetPort " + target
                    + " is neither the number nor the name of a containerPort of the bridge container "
                    + list(container(BRIDGE).get("ports"), "bridge ports"));
        }
    }

    @Test
    void bridgePortFlagEqualsItsContainerPort() {
        int flag = Integer.parseInt(flag(bridgeArgs(), "port").orElse("8080"));
        Object target = map(list(at(one("Service"), "spec", "ports"), "Service spec.ports").get(0), "Service port")
                .get("targetPort");
        int containerPort = containerPort(container(BRIDGE), target);
        assertEquals(containerPort, flag, "the bridge listens on --port " + flag + " but the port the Service sends to ("
                + target + ") is containerPort " + containerPort);
    }

    @Test
    void bridgeListensOnThePodAddressNotLoopback() {
        String host = flag(bridgeArgs(), "host").orElse("127.0.0.1");
        assertFalse(Set.of("127.0.0.1", "localhost", "::1", "[::1]").contains(host),
                "the bridge binds --host " + host + " (loopback is the default): the Service and kubelet's probes"
                        + " reach the pod on its own IP, so it must bind 0.0.0.0 (or ::)");
    }

    @Test
    void bridgeTrustsTheIngressAsAProxyWithBlocksTheLauncherAccepts() {
        List<String> args = bridgeArgs();
        List<String> blocks = new ArrayList<>();
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals("--trusted-proxy")) {
                blocks.add(args.get(i + 1));
            }
        }
        assertFalse(blocks.isEmpty(), "behind an ingress the bridge needs --trusted-proxy, or PHP sees the ingress"
                + " as every client and never HTTPS: " + args);
        blocks.forEach(CidrPattern::parse);
    }

    @Test
    void startupProbeUsesTheBridgePort() {
        Map<String, Object> bridge = container(BRIDGE);
        int expected = Integer.parseInt(flag(bridgeArgs(), "port").orElse("8080"));
        Object port = map(at(bridge, "startupProbe", "tcpSocket"), "startupProbe tcpSocket").get("port");
        assertEquals(expected, containerPort(bridge, port), "startupProbe checks port " + port
                + ", not the bridge's --port " + expected);
    }

    @Test
    void readinessAndLivenessAskTheAdminEndpoint() {
        Map<String, Object> bridge = container(BRIDGE);
        String adminPort = flag(bridgeArgs(), "admin-port").orElseGet(() -> fail("the bridge has no --admin-port"));
        assertFalse(Set.of("127.0.0.1", "localhost", "::1").contains(flag(bridgeArgs(), "admin-host").orElse("127.0.0.1")),
                "--admin-host is loopback (the default): kubelet's probes and Prometheus come from outside the pod");
        for (Map.Entry<String, String> probe : Map.of("readinessProbe", "/health/ready", "livenessProbe", "/health/live")
                .entrySet()) {
            Map<String, Object> get = map(at(bridge, probe.getKey(), "httpGet"), probe.getKey() + " httpGet");
            assertEquals(probe.getValue(), get.get("path"), probe.getKey());
            assertEquals(Integer.parseInt(adminPort), containerPort(bridge, get.get("port")),
                    probe.getKey() + " must ask the admin port " + adminPort);
        }
    }

    @Test
    void prometheusScrapesTheAdminPortWhichTheServiceDoesNotExpose() {
        Map<String, Object> annotations = map(at(one("Deployment"), "spec", "template", "metadata", "annotations"),
                "pod annotations");
        String adminPort = flag(bridgeArgs(), "admin-port").orElseGet(() -> fail("the bridge has no --admin-port"));
        assertEquals("true", String.valueOf(annotations.get("prometheus.io/scrape")));
        assertEquals(adminPort, String.valueOf(annotations.get("prometheus.io/port")));
        assertEquals("/metrics", String.valueOf(annotations.get("prometheus.io/path")));
        for (Object port : list(at(one("Service"), "spec", "ports"), "Service spec.ports")) {
            Object target = map(port, "Service port").getOrDefault("targetPort", map(port, "Service port").get("port"));
            assertFalse(containerPort(container(BRIDGE), target) == Integer.parseInt(adminPort),
                    "the Service exposes the admin port: metrics and PHP-FPM's status would be public");
        }
    }

    @Test
    void bridgeAsksThePoolsOwnPingAndStatusPaths() {
        Map<String, String> pool = pool(ini(mountedPoolConfig()));
        assertEquals(pool.get("ping.path"), flag(bridgeArgs(), "fpm-ping").orElse(null),
                "--fpm-ping must be the ConfigMap pool's ping.path");
        assertEquals(pool.get("pm.status_path"), flag(bridgeArgs(), "fpm-status").orElse(null),
                "--fpm-status must be the ConfigMap pool's pm.status_path");
    }

    @Test
    void pingAndStatusAreOnlyOnTheBridgesSocket() {
        for (Map.Entry<String, Map<String, String>> pool : Map.of("the ConfigMap's pool", pool(ini(mountedPoolConfig())),
                POOL_FILE.getFileName().toString(), pool(ini(read(POOL_FILE)))).entrySet()) {
            Map<String, String> settings = pool.getValue();
            assertNotNull(settings.get("ping.path"), pool.getKey() + " has no ping.path for the readiness probe");
            assertNotNull(settings.get("pm.status_path"), pool.getKey() + " has no pm.status_path for /metrics");
            for (String path : List.of(settings.get("ping.path"), settings.get("pm.status_path"))) {
                assertFalse(path.endsWith(".php"), pool.getKey() + ": " + path + " would be forwarded as a script");
            }
            assertTrue(settings.get("listen").startsWith("/"), pool.getKey() + " listens on " + settings.get("listen")
                    + ": its status page would be open to whoever reaches that port, not only the bridge");
            assertEquals("0660", settings.get("listen.mode"), pool.getKey() + ": listen.mode");
        }
    }

    @Test
    void hpaScalesTheDeployment() {
        Map<String, Object> hpa = one("HorizontalPodAutoscaler");
        assertEquals("autoscaling/v2", hpa.get("apiVersion"), "the HPA should use autoscaling/v2");
        Map<String, Object> target = map(at(hpa, "spec", "scaleTargetRef"), "HPA spec.scaleTargetRef");
        assertEquals("Deployment", target.get("kind"), "the HPA does not target a Deployment");
        assertEquals("apps/v1", target.get("apiVersion"), "the HPA's scaleTargetRef.apiVersion");
        assertEquals(at(one("Deployment"), "metadata", "name"), target.get("name"),
                "the HPA targets another Deployment than the one in deployment.yaml");
        int min = ((Number) at(hpa, "spec", "minReplicas")).intValue();
        int max = ((Number) at(hpa, "spec", "maxReplicas")).intValue();
        assertTrue(1 <= min && min <= max, "HPA minReplicas " + min + " and maxReplicas " + max);
    }

    @Test
    void everyContainerRequestsCpuForTheHpa() {
        List<Object> metrics = list(at(one("HorizontalPodAutoscaler"), "spec", "metrics"), "HPA spec.metrics");
        boolean cpu = metrics.stream().anyMatch(metric -> "cpu".equals(at(metric, "resource", "name")));
        if (!cpu) {
            return;
        }
        for (Object container : list(at(podSpec(), "containers"), "containers")) {
            assertNotNull(at(container, "resources", "requests", "cpu"), "container " + at(container, "name")
                    + " has no CPU request: the HPA computes CPU utilisation against the requests of every"
                    + " container and does nothing without one");
        }
    }

    @Test
    void deploymentLeavesTheReplicaCountToTheHpa() {
        assertFalse(map(at(one("Deployment"), "spec"), "Deployment spec").containsKey("replicas"),
                "the Deployment sets spec.replicas while the HPA owns the count: every kubectl apply would reset it");
    }

    // ---------------------------------------------------------------- Kubernetes: the socket and the pool

    @Test
    void bothContainersMountTheSameEmptyDirWhereTheSocketIs() {
        Path folder = fpmSocket().getParent();
        String bridgeVolume = volumeMountedAt(container(BRIDGE), folder);
        String phpVolume = volumeMountedAt(container(PHP_FPM), folder);
        assertNotNull(bridgeVolume, "the bridge container mounts nothing at " + folder + ", the folder of its --fpm socket");
        assertNotNull(phpVolume, "the php-fpm container mounts nothing at " + folder + ", the folder of the socket");
        assertEquals(bridgeVolume, phpVolume, "the containers mount different volumes at " + folder
                + ": the bridge would not see PHP-FPM's socket");
        assertTrue(volume(bridgeVolume).containsKey("emptyDir"), "volume " + bridgeVolume + " is not an emptyDir");
    }

    @Test
    void bridgeFpmSocketIsThePoolListenAddress() {
        String listen = pool(ini(mountedPoolConfig())).get("listen");
        assertNotNull(listen, "the pool in the ConfigMap has no listen");
        assertEquals(fpmSocket(), Path.of(listen), "the bridge connects to " + fpmSocket()
                + " but the ConfigMap's pool listens on " + listen);
    }

    @Test
    void poolMaxChildrenEqualsBridgeMaxConnections() {
        String children = pool(ini(mountedPoolConfig())).get("pm.max_children");
        assertNotNull(children, "the pool in the ConfigMap has no pm.max_children");
        String connections = flag(bridgeArgs(), "max-connections").orElse(null);
        assertNotNull(connections, "the bridge has no --max-connections: set it to the pool's pm.max_children " + children);
        assertEquals(Integer.parseInt(children), Integer.parseInt(connections),
                "the bridge's --max-connections must equal pm.max_children: an idle kept connection pins a worker,"
                        + " and more connections than workers only queue inside PHP-FPM");
    }

    @Test
    void phpFpmReadsThePoolConfigMapKey() {
        Map<String, Object> mount = poolMount();
        String volumeName = String.valueOf(mount.get("name"));
        Object configMapName = at(volume(volumeName), "configMap", "name");
        Map<String, Object> configMap = MANIFESTS.stream()
                .filter(manifest -> manifest.kind().equals("ConfigMap"))
                .map(Manifest::content)
                .filter(content -> Objects.equals(configMapName, at(content, "metadata", "name")))
                .findFirst()
                .orElseGet(() -> fail("the pod mounts ConfigMap " + configMapName + ", which no file in "
                        + KUBERNETES + " defines"));
        String key = poolKey(mount);
        assertTrue(map(configMap.get("data"), "ConfigMap data").containsKey(key),
                "the pod mounts key " + key + " of ConfigMap " + configMapName + ", which has only "
                        + map(configMap.get("data"), "data").keySet());
        String mountPath = String.valueOf(mount.get("mountPath"));
        List<String> args = commandLine(container(PHP_FPM));
        String configFile = flag(args, "fpm-config").orElseGet(() -> {
            int y = args.indexOf("-y");
            return y >= 0 && y + 1 < args.size() ? args.get(y + 1) : null;
        });
        if (configFile != null) {
            assertEquals(mountPath, configFile, "php-fpm is started with " + configFile
                    + " but the ConfigMap is mounted at " + mountPath);
        } else {
            assertTrue(mountPath.startsWith("/usr/local/etc/php-fpm.d/") && mountPath.endsWith(".conf"),
                    "php-fpm is started without -y, so the ConfigMap must land in php-fpm.d/*.conf, not " + mountPath);
        }
    }

    @Test
    void configMapPoolOutlastsTheBridgeTimeout() {
        assertPoolOutlastsBridge(pool(ini(mountedPoolConfig())), bridgeArgs(), "the ConfigMap's pool");
    }

    // ---------------------------------------------------------------- Kubernetes: stopping

    @Test
    void terminationGracePeriodCoversTheBridgeDrain() {
        Duration grace = terminationGrace();
        Duration needed = preStopSleep(container(BRIDGE)).plus(BRIDGE_GRACE);
        assertTrue(grace.compareTo(needed) > 0, "terminationGracePeriodSeconds " + grace.toSeconds()
                + " must exceed the bridge's preStop sleep plus its " + BRIDGE_GRACE.toSeconds() + " s drain ("
                + needed.toSeconds() + " s), or requests in flight are killed");
    }

    @Test
    void phpFpmStaysUpWhileTheBridgeDrains() {
        Duration bridgeDone = preStopSleep(container(BRIDGE)).plus(BRIDGE_GRACE);
        Duration phpPreStop = preStopSleep(container(PHP_FPM));
        assertTrue(phpPreStop.compareTo(bridgeDone) >= 0, "php-fpm's preStop (" + phpPreStop.toSeconds()
                + " s) ends before the bridge's preStop and drain (" + bridgeDone.toSeconds()
                + " s): PHP-FPM would close its socket while the bridge still forwards, and those requests get 502");
        String control = ini(mountedPoolConfig()).getOrDefault("global", Map.of()).getOrDefault("process_control_timeout", "0");
        Duration phpDone = phpPreStop.plus(fpmDuration(control));
        assertTrue(terminationGrace().compareTo(phpDone) >= 0, "terminationGracePeriodSeconds "
                + terminationGrace().toSeconds() + " is shorter than php-fpm's preStop plus process_control_timeout ("
                + phpDone.toSeconds() + " s)");
    }

    // ---------------------------------------------------------------- PHP-FPM pool file

    @Test
    void poolFileSizesThePool() {
        Map<String, String> pool = pool(ini(read(POOL_FILE)));
        String children = pool.get("pm.max_children");
        assertNotNull(children, POOL_FILE + " has no pm.max_children (the bridge's max-connections must equal it)");
        assertTrue(Integer.parseInt(children) > 0, "pm.max_children " + children);
    }

    @Test
    void poolFileOutlastsTheBridgeReadTimeout() {
        assertPoolOutlastsBridge(pool(ini(read(POOL_FILE))), List.of(), POOL_FILE.getFileName().toString());
    }

    @Test
    void poolSectionsHoldNoGlobalOnlySettings() {
        Map<String, String> pools = new LinkedHashMap<>();
        pools.put(POOL_FILE.toString(), read(POOL_FILE));
        pools.put("the php-fpm-pool ConfigMap", mountedPoolConfig());
        pools.forEach((where, text) -> ini(text).forEach((section, settings) -> {
            if (!section.equals("global")) {
                settings.keySet().forEach(key -> assertFalse(GLOBAL_ONLY.contains(key), where + ": " + key
                        + " in pool [" + section + "] belongs in [global]; PHP-FPM refuses to start with it there"));
            }
        }));
    }

    // ---------------------------------------------------------------- systemd unit

    @Test
    void systemdReloadAsksTheServeOfThePidFileAndWaitsForTheOutcome() {
        Map<String, List<String>> unit = systemd();
        List<String> reload = unit.getOrDefault("ExecReload", List.of());
        assertEquals(1, reload.size(), "the unit needs one ExecReload");
        List<String> start = List.of(last(unit, "ExecStart").split("\\s+"));
        List<String> expected = List.of(start.get(0), "-jar", valueAfter(start, "-jar"), "reload", "--pid-file",
                valueAfter(start, "--pid-file"));
        assertEquals(expected, List.of(reload.get(0).split("\\s+")), "ExecReload should run the reload command of the"
                + " same jar with ExecStart's --pid-file: it confirms the reload, where kill -HUP reports nothing");
    }

    private static String valueAfter(List<String> words, String flag) {
        int at = words.indexOf(flag);
        assertTrue(at >= 0 && at + 1 < words.size(), "ExecStart has no " + flag + ": " + words);
        return words.get(at + 1);
    }

    @Test
    void systemdStopsWithSigtermAndWaitsForTheDrain() {
        Map<String, List<String>> unit = systemd();
        String signal = last(unit, "KillSignal");
        assertTrue("SIGTERM".equals(signal) || "TERM".equals(signal) || "15".equals(signal),
                "KillSignal should be SIGTERM, on which the launcher drains and exits 0: " + signal);
        String timeout = last(unit, "TimeoutStopSec");
        assertNotNull(timeout, "the unit has no TimeoutStopSec");
        assertTrue(systemdSpan(timeout).compareTo(BRIDGE_GRACE) > 0, "TimeoutStopSec " + timeout
                + " must exceed the launcher's " + BRIDGE_GRACE.toSeconds() + " s drain, or systemd kills it mid-drain");
    }

    @Test
    void systemdLeavesTheManagedPhpFpmToTheLauncher() {
        Map<String, List<String>> unit = systemd();
        List<String> args = tokens(last(unit, "ExecStart"));
        if (flag(args, "fpm").isPresent()) {
            return;
        }
        assertEquals("mixed", last(unit, "KillMode"), "without --fpm the launcher runs its own PHP-FPM in the unit's"
                + " cgroup: KillMode must be mixed, else systemd sends SIGTERM to PHP-FPM too, which cuts off the"
                + " requests the launcher is draining");
    }

    @Test
    void systemdBridgeWritesOnlyWhereItMay() {
        Map<String, List<String>> unit = systemd();
        if (!"strict".equals(last(unit, "ProtectSystem"))) {
            return;
        }
        List<Path> writable = new ArrayList<>();
        Map.of("RuntimeDirectory", "/run", "LogsDirectory", "/var/log", "StateDirectory", "/var/lib",
                "CacheDirectory", "/var/cache").forEach((setting, root) -> unit.getOrDefault(setting, List.of())
                .forEach(value -> tokens(value).forEach(dir -> writable.add(Path.of(root, dir)))));
        unit.getOrDefault("ReadWritePaths", List.of()).forEach(value -> tokens(value)
                .forEach(path -> writable.add(Path.of(path.replaceFirst("^[-+]+", "")))));
        List<String> args = tokens(last(unit, "ExecStart"));
        for (String written : List.of("pid-file", "access-log")) {
            flag(args, written).filter(path -> !path.equals("-")).map(Path::of).ifPresent(path -> assertTrue(
                    writable.stream().anyMatch(path::startsWith), "--" + written + " " + path
                            + " is read-only under ProtectSystem=strict; writable: " + writable));
        }
    }

    // ---------------------------------------------------------------- Tomcat connector

    @Test
    void tomcatConnectorIsLoopbackAndTakesPhpArrayQueries() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element connector = factory.newDocumentBuilder().parse(TOMCAT_CONNECTOR.toFile()).getDocumentElement();
        assertEquals("Connector", connector.getTagName(), TOMCAT_CONNECTOR + " should hold one <Connector>");
        assertTrue(Set.of("127.0.0.1", "::1", "localhost").contains(connector.getAttribute("address")),
                "the connector snippet should listen on loopback by default, not '" + connector.getAttribute("address") + "'");
        String relaxed = connector.getAttribute("relaxedQueryChars");
        assertTrue(relaxed.contains("[") && relaxed.contains("]"), "relaxedQueryChars must allow [ and ]:"
                + " Tomcat answers 400 to ?a[]=1, which browsers send unencoded");
        long swallow = Long.parseLong(connector.getAttribute("maxSwallowSize"));
        long maxBody = BridgeConfig.parseSize(BridgeOption.MAX_BODY.defaultValue());
        assertTrue(swallow > 0 && swallow < maxBody, "maxSwallowSize " + swallow + " should be positive and below the"
                + " bridge's max-body (" + maxBody + "), or Tomcat reads whole bodies the bridge refused");
    }

    // ================================================================ helpers

    private static void assertPoolOutlastsBridge(Map<String, String> pool, List<String> bridgeArgs, String where) {
        String terminate = pool.get("request_terminate_timeout");
        assertNotNull(terminate, where + " has no request_terminate_timeout");
        Duration readTimeout = BridgeConfig.parseDuration(flag(bridgeArgs, BridgeOption.READ_TIMEOUT.key())
                .orElse(BridgeOption.READ_TIMEOUT.defaultValue()));
        Duration requestTimeout = BridgeConfig.parseDuration(flag(bridgeArgs, BridgeOption.REQUEST_TIMEOUT.key())
                .orElse(BridgeOption.REQUEST_TIMEOUT.defaultValue()));
        Duration bridgeGivesUp = readTimeout.compareTo(requestTimeout) >= 0 ? readTimeout : requestTimeout;
        assertTrue(fpmDuration(terminate).compareTo(bridgeGivesUp) > 0, where + ": request_terminate_timeout "
                + terminate + " must exceed the bridge's read-timeout/request-timeout (" + bridgeGivesUp.toSeconds()
                + " s), so that the bridge answers 504 before PHP-FPM kills the worker (which would be a 502)");
    }

    private static Map<String, Object> one(String kind) {
        List<Manifest> found = MANIFESTS.stream().filter(manifest -> manifest.kind().equals(kind)).toList();
        assertEquals(1, found.size(), "expected one " + kind + " in " + KUBERNETES + ", found "
                + found.stream().map(Manifest::file).toList());
        return found.get(0).content();
    }

    private static Map<String, Object> podSpec() {
        return map(at(one("Deployment"), "spec", "template", "spec"), "Deployment spec.template.spec");
    }

    private static Map<String, Object> podLabels() {
        return map(at(one("Deployment"), "spec", "template", "metadata", "labels"), "pod template labels");
    }

    private static Map<String, Object> container(String name) {
        return list(podSpec().get("containers"), "containers").stream()
                .map(container -> map(container, "container"))
                .filter(container -> name.equals(container.get("name")))
                .findFirst()
                .orElseGet(() -> fail("the Deployment has no container named " + name));
    }

    private static Map<String, Object> volume(String name) {
        return list(podSpec().get("volumes"), "volumes").stream()
                .map(volume -> map(volume, "volume"))
                .filter(volume -> name.equals(volume.get("name")))
                .findFirst()
                .orElseGet(() -> fail("the pod mounts volume " + name + " that it does not declare"));
    }

    private static List<String> commandLine(Map<String, Object> container) {
        List<String> line = new ArrayList<>();
        for (String part : List.of("command", "args")) {
            Object value = container.get(part);
            if (value != null) {
                list(value, part).forEach(item -> line.add(String.valueOf(item)));
            }
        }
        return line;
    }

    private static List<String> bridgeArgs() {
        List<String> args = commandLine(container(BRIDGE));
        assertTrue(args.contains("serve"), "the bridge container does not run serve: " + args);
        return args;
    }

    /** The last value of {@code --name value} or {@code --name=value}, as the launcher reads flags. */
    private static Optional<String> flag(List<String> args, String name) {
        String value = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--" + name) && i + 1 < args.size()) {
                value = args.get(++i);
            } else if (arg.startsWith("--" + name + "=")) {
                value = arg.substring(name.length() + 3);
            }
        }
        return Optional.ofNullable(value);
    }

    private static Path fpmSocket() {
        String fpm = flag(bridgeArgs(), "fpm").orElseGet(() -> fail("the bridge container has no --fpm"));
        assertTrue(fpm.startsWith("unix://"), "the bridge's --fpm " + fpm + " is not a unix:// socket");
        return Path.of(fpm.substring("unix://".length()));
    }

    /** The port number a probe or a Service's targetPort names: a number, or the name of a containerPort. */
    private static int containerPort(Map<String, Object> container, Object reference) {
        for (Object port : list(container.get("ports"), "ports of " + container.get("name"))) {
            Map<String, Object> entry = map(port, "port");
            int number = ((Number) entry.get("containerPort")).intValue();
            if (reference instanceof Number given ? given.intValue() == number
                    : String.valueOf(reference).equals(entry.get("name")) || String.valueOf(reference).equals(String.valueOf(number))) {
                return number;
            }
        }
        return -1;
    }

    private static String volumeMountedAt(Map<String, Object> container, Path folder) {
        Object mounts = container.get("volumeMounts");
        if (mounts == null) {
            return null;
        }
        for (Object mount : list(mounts, "volumeMounts")) {
            Map<String, Object> entry = map(mount, "volumeMount");
            if (Path.of(String.valueOf(entry.get("mountPath"))).equals(folder) && entry.get("subPath") == null) {
                return String.valueOf(entry.get("name"));
            }
        }
        return null;
    }

    /** The php-fpm container's mount of a ConfigMap volume. */
    private static Map<String, Object> poolMount() {
        for (Object mount : list(container(PHP_FPM).get("volumeMounts"), "php-fpm volumeMounts")) {
            Map<String, Object> entry = map(mount, "volumeMount");
            if (volume(String.valueOf(entry.get("name"))).containsKey("configMap")) {
                return entry;
            }
        }
        return fail("the php-fpm container mounts no ConfigMap");
    }

    /** The ConfigMap key the php-fpm container reads: its subPath, else the one item projected. */
    private static String poolKey(Map<String, Object> mount) {
        if (mount.get("subPath") != null) {
            return String.valueOf(mount.get("subPath"));
        }
        Object items = at(volume(String.valueOf(mount.get("name"))), "configMap", "items");
        assertNotNull(items, "mount the pool ConfigMap with subPath (or items) so one key is the config file");
        return String.valueOf(map(list(items, "items").get(0), "item").get("key"));
    }

    /** The PHP-FPM configuration the php-fpm container reads, followed through its mount. */
    private static String mountedPoolConfig() {
        Map<String, Object> mount = poolMount();
        Object configMapName = at(volume(String.valueOf(mount.get("name"))), "configMap", "name");
        return MANIFESTS.stream()
                .filter(manifest -> manifest.kind().equals("ConfigMap"))
                .filter(manifest -> Objects.equals(configMapName, at(manifest.content(), "metadata", "name")))
                .map(manifest -> at(manifest.content(), "data", poolKey(mount)))
                .filter(Objects::nonNull)
                .map(String::valueOf)
                .findFirst()
                .orElseGet(() -> fail("no ConfigMap " + configMapName + " with key " + poolKey(mount)));
    }

    private static Duration terminationGrace() {
        Object seconds = podSpec().get("terminationGracePeriodSeconds");
        return Duration.ofSeconds(seconds == null ? 30 : ((Number) seconds).longValue());
    }

    private static Duration preStopSleep(Map<String, Object> container) {
        Object preStop = at(container, "lifecycle", "preStop");
        if (preStop == null) {
            return Duration.ZERO;
        }
        Object seconds = at(preStop, "sleep", "seconds");
        if (seconds != null) {
            return Duration.ofSeconds(((Number) seconds).longValue());
        }
        Object command = at(preStop, "exec", "command");
        if (command != null) {
            Matcher sleep = Pattern.compile("\\bsleep\\s+(\\d+)").matcher(String.join(" ",
                    list(command, "preStop command").stream().map(String::valueOf).toList()));
            if (sleep.find()) {
                return Duration.ofSeconds(Long.parseLong(sleep.group(1)));
            }
        }
        return Duration.ZERO;
    }

    // ---------------------------------------------------------------- small parsers

    /** PHP-FPM's INI: sections, {@code key = value}, comments starting with ; or #. */
    private static Map<String, Map<String, String>> ini(String text) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = sections.computeIfAbsent("global", name -> new LinkedHashMap<>());
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1).strip(), name -> new LinkedHashMap<>());
                continue;
            }
            int equals = line.indexOf('=');
            assertTrue(equals > 0, "not a key = value line: " + line);
            current.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip().replaceAll("^\"|\"$", ""));
        }
        return sections;
    }

    /** The one pool section. */
    private static Map<String, String> pool(Map<String, Map<String, String>> ini) {
        List<String> pools = ini.keySet().stream().filter(name -> !name.equals("global")).toList();
        assertEquals(1, pools.size(), "expected one pool section, found " + pools);
        return ini.get(pools.get(0));
    }

    /** PHP-FPM durations: a number of seconds, or with s, m, h or d. */
    private static Duration fpmDuration(String text) {
        Matcher matcher = Pattern.compile("(\\d+)([smhd]?)").matcher(text.strip());
        assertTrue(matcher.matches(), "not a PHP-FPM duration: " + text);
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    /** A systemd unit: section-less multimap of settings, continuation lines joined. */
    private static Map<String, List<String>> systemd() {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        String joined = read(SYSTEMD_UNIT).replaceAll("\\\\\\R", " ");
        for (String raw : joined.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || line.startsWith("[")) {
                continue;
            }
            int equals = line.indexOf('=');
            assertTrue(equals > 0, SYSTEMD_UNIT + ": not a setting: " + line);
            settings.computeIfAbsent(line.substring(0, equals).strip(), key -> new ArrayList<>())
                    .add(line.substring(equals + 1).strip());
        }
        return settings;
    }

    private static String last(Map<String, List<String>> unit, String key) {
        List<String> values = unit.getOrDefault(key, List.of());
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    /** systemd time spans: "40s", "1min 30s", "90" (seconds), "infinity". */
    private static Duration systemdSpan(String text) {
        if (text.strip().equals("infinity")) {
            return Duration.ofDays(365_000);
        }
        Matcher matcher = Pattern.compile("(\\d+)\\s*([a-z]*)").matcher(text);
        Duration total = Duration.ZERO;
        int parsed = 0;
        while (matcher.find()) {
            long amount = Long.parseLong(matcher.group(1));
            total = total.plus(switch (matcher.group(2)) {
                case "", "s", "sec", "second", "seconds" -> Duration.ofSeconds(amount);
                case "ms", "msec" -> Duration.ofMillis(amount);
                case "m", "min", "minute", "minutes" -> Duration.ofMinutes(amount);
                case "h", "hr", "hour", "hours" -> Duration.ofHours(amount);
                case "d", "day", "days" -> Duration.ofDays(amount);
                default -> fail("unknown unit in systemd time span " + text);
            });
            parsed += matcher.group().length();
        }
        assertTrue(parsed > 0, "not a systemd time span: " + text);
        return total;
    }

    /** A command line or list setting split on whitespace, double quotes kept together. */
    private static List<String> tokens(String line) {
        assertNotNull(line, "missing setting");
        List<String> tokens = new ArrayList<>();
        Matcher matcher = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(line);
        while (matcher.find()) {
            tokens.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
        }
        return tokens;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return fail("cannot read " + file.toAbsolutePath() + ": " + e);
        }
    }

    // ---------------------------------------------------------------- YAML tree access

    private static Object at(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String what) {
        assertTrue(node instanceof Map, what + " is missing or not a mapping: " + node);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node, String what) {
        assertTrue(node instanceof List, what + " is missing or not a list: " + node);
        return (List<Object>) node;
    }
}
