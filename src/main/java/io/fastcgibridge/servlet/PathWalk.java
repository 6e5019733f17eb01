package io.fastcgibridge.servlet;

import java.io.IOException;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Walks from the document root to a file one segment at a time, reading each segment's own
 * attributes (never through a link), and crosses a link only as the {@link SymlinkPolicy} allows:
 * under {@code owner}, when the link and what it finally leads to have the same owner, as nginx
 * compares them. The result is the real path, which holds no link at the time of the walk.
 */
final class PathWalk {

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
        boolean directory = true;
        boolean regularFile = false;
        try {
            for (int i = 0; i < count; i++) {
                if (!directory) {
                    return new Outcome.Missing();
                }
                Path next = current.resolve(relative.getName(i));
                BasicFileAttributes attributes = attributesOf(next);
                if (attributes.isSymbolicLink()) {
                    Path target = policy == SymlinkPolicy.REFUSE ? null : next.toRealPath();
                    Outcome.Refused refused = refusal(next, target);
                    if (refused != null) {
                        return refused;
                    }
                    attributes = attributesOf(target);
                    next = target;
                }
                directory = attributes.isDirectory();
                regularFile = attributes.isRegularFile();
                current = next;
            }
        } catch (IOException e) {
            return new Outcome.Missing();
        }
        return new Outcome.Found(current, directory, regularFile);
    }

    /** Why the policy does not cross {@code link} to its real {@code target}, or {@code null} when it does. */
    private Outcome.Refused refusal(Path link, Path target) throws IOException {
        if (policy == SymlinkPolicy.REFUSE) {
            return new Outcome.Refused(link, "symbolic links are refused");
        }
        if (policy == SymlinkPolicy.OWNER) {
            int linkOwner = owner(link);
            int targetOwner = owner(target);
            if (linkOwner != targetOwner) {
                return new Outcome.Refused(link, "the link is owned by uid " + linkOwner + ", its target " + target
                        + " by uid " + targetOwner);
            }
        }
        return null;
    }

    /**
     * A segment's own attributes, read without following it. The basic view, as the owner is needed
     * only at a link: the {@code unix} view builds a map of every attribute asked for on each segment.
     */
    private static BasicFileAttributes attributesOf(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static int owner(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }
}
