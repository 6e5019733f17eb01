package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --help} on every command prints that command's usage to stdout and exits 0; mistakes still exit 2. */
@Timeout(30)
class MainHelpTest {

    private record Ran(int status, String out, String err) {
    }

    private static Ran run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Ran(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource({
            "serve, serve --docroot DIR",
            "call, call ADDRESS SCRIPT",
            "reload, reload --pid-file F",
            "bench, bench ADDRESS SCRIPT"})
    void helpAfterEveryCommandPrintsItsUsageAndExitsZero(String command, String usageLine) {
        for (String help : new String[] {"--help", "-h"}) {
            Ran ran = run(command, help);

            assertEquals(0, ran.status(), ran.err());
            assertTrue(ran.out().startsWith(Main.USAGE_HEAD), ran.out());
            assertTrue(ran.out().contains(usageLine), ran.out());
            assertEquals("", ran.err());
        }
    }

    @Test
    void helpWinsOverOtherFlagsEvenWrongOnes() {
        Ran ran = run("serve", "--docroot", "/nowhere", "--no-such-flag", "--help");

        assertEquals(0, ran.status(), ran.err());
        assertTrue(ran.out().contains("--max-body"), "every bridge option is listed:\n" + ran.out());
    }

    @Test
    void helpAloneListsEveryCommand() {
        Ran ran = run("--help");

        assertEquals(0, ran.status());
        for (String command : new String[] {"call ADDRESS", "serve --docroot", "reload --pid-file", "bench ADDRESS"}) {
            assertTrue(ran.out().contains(command), ran.out());
        }
    }

    @Test
    void anUnknownFlagIsStillAUsageErrorWithStatusTwo() {
        Ran ran = run("serve", "--docroot", "/srv", "--no-such-flag", "x");

        assertEquals(2, ran.status());
        assertTrue(ran.err().startsWith("usage error: unknown flag --no-such-flag"), ran.err());
        assertEquals("", ran.out());
    }

    @Test
    void reloadWithoutPidFileIsAUsageErrorThatShowsItsUsage() {
        Ran ran = run("reload");

        assertEquals(2, ran.status());
        assertTrue(ran.err().contains("reload needs --pid-file"), ran.err());
        assertTrue(ran.err().contains("reload --pid-file F [--timeout 60s]"), ran.err());
    }

    @Test
    void versionOutsideTheJarSaysItIsUnknownRatherThanInventingOne() {
        Ran ran = run("--version");

        assertEquals(0, ran.status());
        assertTrue(ran.out().startsWith("fastcgi-bridge "), ran.out());
    }
}
