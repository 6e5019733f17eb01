package io.fastcgibridge.launcher;

import java.util.regex.Pattern;

/**
 * Whom the managed PHP-FPM's workers run as: the launcher's own user, root (a launcher running as
 * root that was given no {@code --fpm-user}), or the user a root launcher's PHP-FPM switches them to.
 */
sealed interface PoolUser {

    /** The pool directives that set the workers' user, or none. */
    String directives();

    /** Whether PHP code runs with root's rights. */
    boolean isRoot();

    /** A non-root launcher: PHP-FPM cannot switch users, so the workers run as the launcher does. */
    record Inherited() implements PoolUser {
        @Override
        public String directives() {
            return "";
        }

        @Override
        public boolean isRoot() {
            return false;
        }
    }

    /** Root: PHP-FPM refuses this unless started with {@code -R}. */
    record Root() implements PoolUser {
        @Override
        public String directives() {
            return "user = root\ngroup = root\n";
        }

        @Override
        public boolean isRoot() {
            return true;
        }
    }

    /** A user (and optionally a group, else the user's own) that the root master runs the workers as. */
    record Named(String user, String group) implements PoolUser {
        @Override
        public String directives() {
            return "user = " + user + "\n" + (group == null ? "" : "group = " + group + "\n");
        }

        @Override
        public boolean isRoot() {
            return false;
        }
    }

    /** Names and ids PHP-FPM accepts; nothing that could end a line of its configuration. */
    Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}");

    /**
     * The pool user for {@code --fpm-user USER[:GROUP]} (empty when not given).
     *
     * @throws IllegalArgumentException for a malformed value, or when a launcher that is not root
     *         asks for a user it cannot switch to
     */
    static PoolUser of(String flag, boolean launcherIsRoot) {
        if (flag.isEmpty()) {
            return launcherIsRoot ? new Root() : new Inherited();
        }
        int colon = flag.indexOf(':');
        String user = colon < 0 ? flag : flag.substring(0, colon);
        String group = colon < 0 ? null : flag.substring(colon + 1);
        if (!NAME.matcher(user).matches() || group != null && !NAME.matcher(group).matches()) {
            throw new IllegalArgumentException("--fpm-user " + flag + ": not USER or USER:GROUP");
        }
        if (!launcherIsRoot) {
            throw new IllegalArgumentException("--fpm-user needs serve to run as root: only a PHP-FPM started by"
                    + " root can switch its workers to another user (without it they run as you)");
        }
        return user.equals("root") || user.equals("0") ? new Root() : new Named(user, group);
    }
}
