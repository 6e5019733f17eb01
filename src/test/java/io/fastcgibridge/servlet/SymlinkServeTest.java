package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.BridgeServer;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Symbolic links under the default {@code symlinks owner}, through embedded Tomcat and a real
 * PHP-FPM: a packaged application's links are followed, a script reached through a deploy link runs
 * under the path asked for, and a link another user swaps in while requests run never serves the
 * file it points to.
 */
@ExtendWith(PhpFpmExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SymlinkServeTest {

    private static final int OTHER_UID = 4242;
    /** Above the sendfile threshold, where Tomcat would open the file by name after the check. */
    private static final int BIG = 64 * 1024;

    private Path temp;
    private Path root;
    private BridgeServer server;

    @BeforeAll
    void start(PhpFpm fpm, @TempDir Path dir) throws IOException {
        temp = dir;
        root = Files.createDirectories(temp.resolve("root")).toRealPath();
        Path shared = Files.createDirectories(temp.resolve("shared/tpl"));
        Files.write(shared.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Files.createDirectories(root.resolve("lib"));
        Files.createSymbolicLink(root.resolve("lib/tpl"), shared);
        Files.createDirectories(root.resolve("releases/1"));
        Files.writeString(root.resolve("releases/1/app.php"),
                "<?php echo $_SERVER['SCRIPT_FILENAME'], '|', $_SERVER['SCRIPT_NAME'];");
        Files.createSymbolicLink(root.resolve("current"), root.resolve("releases"));
        Path foreign = Files.createDirectories(temp.resolve("foreign"));
        Files.writeString(foreign.resolve("secret.txt"), "foreign");
        Files.setAttribute(foreign.resolve("secret.txt"), "unix:uid", OTHER_UID);
        Files.createSymbolicLink(root.resolve("foreign.txt"), foreign.resolve("secret.txt"));
        server = BridgeServer.start(Map.of(BridgeOption.DOCROOT.key(), List.of(root.toString()),
                BridgeOption.FPM.key(), List.of(fpm.unixAddress())));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aPackagedTemplateLinkedOutOfTheRootIsServed() throws Exception {
        HttpResponse<byte[]> response = server.http().send(server.request("/lib/tpl/logo.png").build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, response.statusCode());
        assertEquals("image/png", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals(4, response.body().length);
    }

    @Test
    void aLinkToAnotherUsersFileIsNotFound() throws Exception {
        HttpResponse<String> response = server.get("/foreign.txt");

        assertEquals(404, response.statusCode());
        assertFalse(response.body().contains("foreign"), response.body());
    }

    @Test
    void aScriptThroughADeployLinkSeesThePathAsRequested() throws Exception {
        HttpResponse<String> response = server.get("/current/1/app.php");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(root.resolve("current/1/app.php") + "|/current/1/app.php", response.body());
    }

    /**
     * Another user owns {@code up/}, so it can rename what is in it: it swaps a real directory with
     * its own link to a directory of root's, back and forth, while files are requested through that
     * name. Whatever the timing, root's file is never sent.
     */
    @Test
    @Timeout(60)
    void aLinkSwappedInWhileRequestsRunNeverServesItsTarget() throws Exception {
        Path up = Files.createDirectories(root.resolve("up"));
        Path real = Files.createDirectories(up.resolve("x"));
        Files.write(real.resolve("f.bin"), filled('p'));
        Path secret = Files.createDirectories(temp.resolve("secret"));
        Files.write(secret.resolve("f.bin"), filled('s'));
        Path link = Files.createSymbolicLink(up.resolve("x.link"), secret);
        for (Path path : List.of(up, real, real.resolve("f.bin"), link)) {
            Files.setAttribute(path, "unix:uid", OTHER_UID, LinkOption.NOFOLLOW_LINKS);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        AtomicInteger leaked = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            Future<?> swapper = threads.submit(() -> swap(up, running));
            List<Future<?>> clients = List.of(threads.submit(() -> fetch(served, leaked)),
                    threads.submit(() -> fetch(served, leaked)));
            for (Future<?> client : clients) {
                client.get();
            }
            running.set(false);
            swapper.get();
        } finally {
            running.set(false);
            threads.shutdownNow();
        }

        assertEquals(0, leaked.get(), "root's file was sent " + leaked + " times");
        assertTrue(served.get() > 0, "the user's own file was never served");
    }

    private Void fetch(AtomicInteger served, AtomicInteger leaked) throws Exception {
        for (int i = 0; i < 200; i++) {
            HttpResponse<byte[]> response;
            try {
                response = server.http().send(server.request("/up/x/f.bin").build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                continue; // a file that vanished mid-send is cut short: not a leak
            }
            byte[] body = response.body();
            if (body.length > 0 && body[body.length - 1] == 's') {
                leaked.incrementAndGet();
            } else if (response.statusCode() == 200) {
                served.incrementAndGet();
            }
        }
        return null;
    }

    private static Void swap(Path up, AtomicBoolean running) throws IOException {
        Path name = up.resolve("x");
        while (running.get()) {
            Files.move(name, up.resolve("x.dir"), StandardCopyOption.ATOMIC_MOVE);
            Files.move(up.resolve("x.link"), name, StandardCopyOption.ATOMIC_MOVE);
            Thread.onSpinWait();
            Files.move(name, up.resolve("x.link"), StandardCopyOption.ATOMIC_MOVE);
            Files.move(up.resolve("x.dir"), name, StandardCopyOption.ATOMIC_MOVE);
        }
        return null;
    }

    private static byte[] filled(char c) {
        byte[] bytes = new byte[BIG];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }
}
