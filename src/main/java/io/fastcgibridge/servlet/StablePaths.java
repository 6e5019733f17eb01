package io.fastcgibridge.servlet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether a real path can change under the bridge's feet: it is stable when no segment is a link and
 * only root or this process's user could rename or replace anything along it (every directory
 * writable by them alone, or sticky with the entry owned by them). A stable path may be opened by
 * name later, by Tomcat's sendfile for one, and still be the file that was checked.
 */
final class StablePaths {

    private static final String ATTRIBUTES = "unix:uid,mode,isSymbolicLink";
    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final int STICKY = 01000;
    private static final int SELF = selfUid();

    private StablePaths() {
    }

    /** Whether {@code real}, an absolute path, holds no link and nobody untrusted can change it. */
    static boolean isStable(Path real) {
        try {
            Path current = real.getRoot();
            Map<String, Object> parent = Files.readAttributes(current, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            for (Path name : real) {
                current = current.resolve(name);
                Map<String, Object> entry = Files.readAttributes(current, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                if ((Boolean) entry.get("isSymbolicLink") || !guards(parent, entry)) {
                    return false;
                }
                parent = entry;
            }
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Whether only trusted users can rename or replace {@code entry} in the directory {@code parent}. */
    private static boolean guards(Map<String, Object> parent, Map<String, Object> entry) {
        int mode = (Integer) parent.get("mode");
        if (!trusted(parent)) {
            return false;
        }
        return (mode & GROUP_OR_OTHER_WRITE) == 0 || ((mode & STICKY) != 0 && trusted(entry));
    }

    private static boolean trusted(Map<String, Object> attributes) {
        int uid = (Integer) attributes.get("uid");
        return uid == 0 || uid == SELF;
    }

    /** This process's uid: the owner of {@code /proc/self} on Linux, else only root is trusted. */
    private static int selfUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 0;
        }
    }
}
