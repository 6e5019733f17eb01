package io.fastcgibridge.servlet;

/**
 * Which symbolic links on the way to a file or script are followed, as nginx's
 * {@code disable_symlinks}: every segment below the document root is checked.
 */
public enum SymlinkPolicy {
    /** Every link is followed, wherever it leads ({@code disable_symlinks off}). */
    FOLLOW,
    /** A link is followed only when it and its target have the same owner ({@code disable_symlinks if_not_owner}). */
    OWNER,
    /** No link is followed ({@code disable_symlinks on}). */
    REFUSE;

    /** The policy named {@code follow}, {@code owner} or {@code refuse}. */
    public static SymlinkPolicy parse(String text) {
        return switch (text) {
            case "follow" -> FOLLOW;
            case "owner" -> OWNER;
            case "refuse" -> REFUSE;
            default -> throw new IllegalArgumentException("use follow, owner or refuse, not " + text);
        };
    }
}
