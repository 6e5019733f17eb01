package io.fastcgibridge.servlet;

import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Walks from the document root to a file one segment at a time, reading each segment's own
 * attributes (never through a link), and crosses a link only as the {@link SymlinkPolicy} allows:
 * under {@code owner}, when the link and what it finally leads to have the same owner, as nginx
 * compares them. The result is the real path, which holds no link at the time of the walk.
 */
final class PathWalk {

    private static final String ATTRIBUTES = "unix:uid,mode,isSymbolicLink,isDirectory,isRegularFile";

    private final Path root;
    private final SymlinkPolicy policy;

    /** A walk below {@code root}, a real path. */
    PathWalk(Path root, SymlinkPolicy policy) {
        this.root = root;
        this.policy = policy;
    }

    /** What the walk found. */
    sealed interface Outcome {
        /** The file exists; {@code real} is its path with every link resolved. */
        record Found(Path real, boolean directory, boolean regularFile) implements Outcome {
        }

        /** Nothing is there, a link dangles, or a segment before the last is not a directory. */
        record Missing() implements Outcome {
        }

        /** A link the policy does not follow; {@code why} names the owners where they differ. */
        record Refused(Path link, String why) implements Outcome {
        }
    }

    /** Walks to {@code requested}, a normalized path below (or equal to) the root. */
    Outcome walk(Path requested) {
        Path relative = root.relativize(requested);
        int count = relative.toString().isEmpty() ? 0 : relative.getNameCount();
        Path current = root;
        Map<String, Object> attributes = Map.of("isDirectory", true, "isRegularFile", false);
        try {
            for (int i = 0; i < count; i++) {
                if (!(Boolean) attributes.get("isDirectory")) {
                    return new Outcome.Missing();
                }
                Path next = current.resolve(relative.getName(i));
                attributes = attributesOf(next);
                if (isLink(attributes)) {
                    Path target = policy == SymlinkPolicy.REFUSE ? null : next.toRealPath();
                    Outcome.Refused refused = refusal(next, uid(attributes), target);
                    if (refused != null) {
                        return refused;
                    }
                    attributes = attributesOf(target);
                    next = target;
                }
                current = next;
            }
        } catch (IOException e) {
            return new Outcome.Missing();
        }
        return new Outcome.Found(current, (Boolean) attributes.get("isDirectory"),
                (Boolean) attributes.get("isRegularFile"));
    }

    /** Why the policy does not cross {@code link} to its real {@code target}, or {@code null} when it does. */
    private Outcome.Refused refusal(Path link, Integer linkOwner, Path target) throws IOException {
        if (policy == SymlinkPolicy.REFUSE) {
            return new Outcome.Refused(link, "symbolic links are refused");
        }
        Integer targetOwner = uid(attributesOf(target));
        if (policy == SymlinkPolicy.OWNER && !linkOwner.equals(targetOwner)) {
            return new Outcome.Refused(link, "the link is owned by uid " + linkOwner + ", its target " + target
                    + " by uid " + targetOwner);
        }
        return null;
    }

    /** A segment's own attributes, read without following it. */
    static Map<String, Object> attributesOf(Path path) throws IOException {
        return Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    }

    static boolean isLink(Map<String, Object> attributes) {
        return (Boolean) attributes.get("isSymbolicLink");
    }

    static Integer uid(Map<String, Object> attributes) {
        return (Integer) attributes.get("uid");
    }
}
