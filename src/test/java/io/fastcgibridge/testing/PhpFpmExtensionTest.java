package io.fastcgibridge.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Checks the PHP-FPM test harness itself: startup, listeners, fixtures, kill and stop. */
@ExtendWith(PhpFpmExtension.class)
@PhpFpmPool(maxChildren = 2)
class PhpFpmExtensionTest {

    private final PhpFpm shared;

    PhpFpmExtensionTest(PhpFpm shared) {
        this.shared = shared;
    }

    @Test
    void sharedInstanceIsInjectedAndRunning(PhpFpm fpm) {
        assertSame(shared, fpm, "constructor and method receive the same instance");
        assertTrue(fpm.isAlive());
        assertEquals(4, ProcessHandle.of(fpm.pid()).orElseThrow().children().count(), "2 static workers in each of the 2 pools");
    }

    @Test
    void unixSocketAndTcpPortAcceptConnections(PhpFpm fpm) throws IOException {
        assertTrue(fpm.unixAddress().startsWith("unix:///"));
        assertEquals(fpm.socketPath().toString(), fpm.unixAddress().substring("unix://".length()));
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(fpm.socketPath()))) {
            assertTrue(channel.isConnected());
        }
        assertEquals("127.0.0.1:" + fpm.tcpPort(), fpm.tcpAddress());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", fpm.tcpPort()), 2000);
            assertTrue(socket.isConnected());
        }
    }

    @Test
    void documentRootHoldsFixtures(PhpFpm fpm) throws IOException {
        Path greeter = Path.of(fpm.script("greeter.php"));
        assertTrue(greeter.isAbsolute());
        assertEquals(fpm.documentRoot().resolve("greeter.php"), greeter);
        assertEquals("<?php echo 'Hello ' . ($_POST['who'] ?? 'World');", Files.readString(greeter).strip());
        for (String name : List.of("md5.php", "big.php", "headers.php", "sleep.php", "flush-sleep.php", "server.php", "pid.php")) {
            assertTrue(Files.isRegularFile(Path.of(fpm.script(name))), name);
        }
        assertTrue(fpm.log().contains("ready to handle connections"), fpm.log());
    }

    @Test
    void killLeavesNoProcessAlive() {
        PhpFpm fpm = PhpFpm.start(PhpFpmSettings.defaults().withMaxChildren(3));
        try {
            List<ProcessHandle> workers = ProcessHandle.of(fpm.pid()).orElseThrow().descendants().toList();
            assertEquals(6, workers.size(), "3 workers in each of the 2 pools");

            fpm.kill();

            assertFalse(fpm.isAlive());
            assertFalse(ProcessHandle.of(fpm.pid()).map(ProcessHandle::isAlive).orElse(false), "master");
            for (ProcessHandle worker : workers) {
                assertFalse(ProcessHandle.of(worker.pid()).map(ProcessHandle::isAlive).orElse(false),
                        "worker " + worker.pid());
            }
            assertTrue(Files.isDirectory(fpm.documentRoot()), "kill() simulates a crash and keeps the files");
        } finally {
            fpm.stop();
        }
        assertFalse(Files.exists(fpm.documentRoot()), "stop() after kill() still cleans up");
    }

    @Test
    void stopShutsDownGracefullyThenCleansUp() {
        PhpFpm fpm = PhpFpm.start(PhpFpmSettings.defaults().withMaxChildren(1)
                .withExtraPoolSetting("php_admin_value[max_input_vars]", "7"));
        List<ProcessHandle> workers = ProcessHandle.of(fpm.pid()).orElseThrow().descendants().toList();
        assertEquals(2, workers.size());
        assertTrue(Files.exists(fpm.socketPath()));
        Path directory = fpm.documentRoot().getParent();
        assertTrue(fpm.log().contains("NOTICE"), fpm.log());

        fpm.stop();
        fpm.stop();

        assertFalse(fpm.isAlive());
        workers.forEach(worker -> assertFalse(worker.isAlive(), "worker " + worker.pid()));
        assertFalse(Files.exists(directory), "temp directory deleted");
        assertEquals("", fpm.log());
    }
}
