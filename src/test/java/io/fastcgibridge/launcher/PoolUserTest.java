package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code --fpm-user}: what the managed pool's configuration says, and the mistakes refused before anything starts. */
class PoolUserTest {

    @Test
    void aRootLauncherWithoutFpmUserRunsPhpAsRoot() {
        PoolUser user = PoolUser.of("", true);
        assertTrue(user.isRoot());
        assertEquals("user = root\ngroup = root\n", user.directives());
    }

    @Test
    void aLauncherThatIsNotRootLeavesTheUserAlone() {
        PoolUser user = PoolUser.of("", false);
        assertFalse(user.isRoot());
        assertEquals("", user.directives());
    }

    @Test
    void userAndGroupBecomePoolDirectives() {
        assertEquals("user = www-data\n", PoolUser.of("www-data", true).directives());
        assertEquals("user = www-data\ngroup = web\n", PoolUser.of("www-data:web", true).directives());
        assertTrue(PoolUser.of("root", true).isRoot(), "--fpm-user root is still PHP as root");
    }

    @Test
    void aLauncherThatIsNotRootCannotSwitchUsers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PoolUser.of("www-data", false));
        assertTrue(e.getMessage().contains("needs serve to run as root"), e.getMessage());
    }

    @Test
    void nothingThatCouldEndAConfigurationLineIsAccepted() {
        for (String bad : new String[] {"www-data\nphp_admin_value[x]=y", "a b", ":web", "www-data:", "-x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PoolUser.of(bad, true), bad);
            assertTrue(e.getMessage().contains("not USER or USER:GROUP"), e.getMessage());
        }
    }
}
