package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which symbolic links each {@code symlinks} mode follows, on layouts built here as distribution
 * packages and deploy tools build them, and as an application user would plant them. Tests run as
 * root, so files of another user are made with {@code chown}.
 */
class SymlinkPolicyTest {

    private static final int OTHER_UID = 4242;

    @TempDir
    Path temp;

    private Path root;
    private Path shared;
    private Path foreign;

    @BeforeEach
    void buildLayout() throws IOException {
        root = Files.createDirectories(temp.resolve("usr-share-app")).toRealPath();
        shared = Files.createDirectories(temp.resolve("var-lib-app")).toRealPath();
        foreign = Files.createDirectories(temp.resolve("home-other")).toRealPath();
        write(root, "doku.php", "<?php");
        write(root, "inside/real.txt", "inside");
        write(shared, "tpl/images/logo.png", "png");
        write(shared, "tpl/main.php", "<?php");
        write(shared, "tpl/index.php", "<?php");
        write(foreign, "secret.txt", "foreign");
        write(foreign, "evil.php", "<?php");
        Files.walk(foreign).forEach(SymlinkPolicyTest::giveAway);
        // Debian's layout: /usr/share/dokuwiki/lib/tpl -> /var/lib/dokuwiki/lib/tpl, both root's.
        Files.createDirectories(root.resolve("lib"));
        Files.createSymbolicLink(root.resolve("lib/tpl"), shared.resolve("tpl"));
        Files.createSymbolicLink(root.resolve("alias.txt"), root.resolve("inside/real.txt"));
        Files.createSymbolicLink(root.resolve("other"), foreign);
        Files.createSymbolicLink(root.resolve("other.php"), foreign.resolve("evil.php"));
        // A link an application user planted towards a file it does not own.
        Path planted = Files.createSymbolicLink(root.resolve("planted.txt"), root.resolve("inside/real.txt"));
        giveAway(planted);
    }

    private static void write(Path base, String relative, String content) throws IOException {
        Path file = base.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static void giveAway(Path path) {
        try {
            Files.setAttribute(path, "unix:uid", OTHER_UID, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private ScriptResolver resolver(String mode) {
        Map<String, List<String>> values = Map.of("docroot", List.of(root.toString()),
                "fpm", List.of("127.0.0.1:9000"), "symlinks", mode == null ? List.of() : List.of(mode));
        return new ScriptResolver(BridgeConfig.from(option -> values.getOrDefault(option.key(), List.of())));
    }

    private static Resolution staticFile(Path real) throws IOException {
        return new Resolution.StaticFile(real.toRealPath());
    }

    @Test
    void ownerIsTheDefault() {
        assertEquals(SymlinkPolicy.OWNER, BridgeConfig.from(option -> Map.of("docroot", List.of(root.toString()),
                "fpm", List.of("127.0.0.1:9000")).getOrDefault(option.key(), List.of())).symlinks());
    }

    @ParameterizedTest
    @ValueSource(strings = {"follow", "owner"})
    void aLinkOfTheSameOwnerLeavingTheRootIsFollowedInAMiddleSegment(String mode) throws IOException {
        assertEquals(staticFile(shared.resolve("tpl/images/logo.png")),
                resolver(mode).resolve("/lib/tpl/images/logo.png"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"follow", "owner"})
    void aLinkToADirectoryRunsItsIndexAndScriptsByTheRequestedPath(String mode) {
        assertEquals(new Resolution.Redirect("/lib/tpl/"), resolver(mode).resolve("/lib/tpl"));
        assertEquals(new Resolution.Script(root.resolve("lib/tpl/index.php"), "/lib/tpl/index.php", ""),
                resolver(mode).resolve("/lib/tpl/"));
        assertEquals(new Resolution.Script(root.resolve("lib/tpl/main.php"), "/lib/tpl/main.php", "/x"),
                resolver(mode).resolve("/lib/tpl/main.php/x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"follow", "owner"})
    void aLinkInsideTheRootIsFollowed(String mode) throws IOException {
        assertEquals(staticFile(root.resolve("inside/real.txt")), resolver(mode).resolve("/alias.txt"));
    }

    @Test
    void refuseFollowsNoLinkAtAll() {
        ScriptResolver resolver = resolver("refuse");

        for (String path : List.of("/alias.txt", "/lib/tpl/images/logo.png", "/lib/tpl/", "/lib/tpl/main.php",
                "/other/secret.txt", "/other.php", "/planted.txt")) {
            assertEquals(new Resolution.NotFound(), resolver.resolve(path), path);
        }
        assertEquals(new Resolution.Script(root.resolve("doku.php"), "/doku.php", ""), resolver.resolve("/doku.php"));
    }

    @Test
    void ownerRefusesALinkToAnotherUsersFilesAndALinkAnotherUserPlanted() {
        ScriptResolver resolver = resolver("owner");

        for (String path : List.of("/other/secret.txt", "/other/evil.php", "/other.php", "/other.php/x",
                "/planted.txt")) {
            assertEquals(new Resolution.NotFound(), resolver.resolve(path), path);
        }
    }

    @Test
    void ownerRefusesTheFrontControllerThroughAForeignLink() {
        assertEquals(new Resolution.NotFound(), new ScriptResolver(BridgeConfig.from(option -> Map.of(
                "docroot", List.of(root.toString()), "fpm", List.of("127.0.0.1:9000"),
                "front-controller", List.of("/other.php")).getOrDefault(option.key(), List.of())))
                .resolve("/pretty/url"));
    }

    @Test
    void followFollowsEveryLink() throws IOException {
        ScriptResolver resolver = resolver("follow");

        assertEquals(staticFile(foreign.resolve("secret.txt")), resolver.resolve("/other/secret.txt"));
        assertEquals(staticFile(root.resolve("inside/real.txt")), resolver.resolve("/planted.txt"));
        assertEquals(new Resolution.Script(root.resolve("other.php"), "/other.php", ""), resolver.resolve("/other.php"));
    }

    @Test
    void aRefusedLinkIsLoggedOncePerLinkWithItsId() {
        List<String> lines = new ArrayList<>();
        Logger logger = Logger.getLogger(RefusedLinks.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(java.text.MessageFormat.format(record.getMessage(), record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            ScriptResolver resolver = resolver("owner");
            for (int i = 0; i < 50; i++) {
                resolver.resolve("/other/secret.txt");
                resolver.resolve("/other/evil.php");
                resolver.resolve("/planted.txt");
            }
        } finally {
            logger.removeHandler(handler);
        }

        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(lines.stream().allMatch(line -> line.startsWith("FCGI-0610 ")), String.join("\n", lines));
        assertTrue(lines.get(0).contains(root.resolve("other").toString()) && lines.get(0).contains("uid " + OTHER_UID),
                lines.get(0));
    }
}
