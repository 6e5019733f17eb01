package io.fastcgibridge.servlet;

import io.fastcgibridge.client.ResponseHead;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Where PHP may send a file instead of its own body: {@code X-Accel-Redirect} names a static file
 * of the document root by its path, resolved as a client's request is (deny rules, dot-files,
 * scripts, links), {@code --internal} paths included (nginx); {@code X-Sendfile} names a file by
 * its absolute path, which must be under a {@code sendfile-root} (Apache's mod_xsendfile,
 * lighttpd). Resolving touches the disk: container threads only.
 */
final class RedirectTargets {

    /** What PHP asked for: the header it used and its value. */
    record Instruction(String header, String value) {

        static final String ACCEL = "X-Accel-Redirect";
        static final String SENDFILE = "X-Sendfile";

        /** PHP's instruction in its headers, or {@code null}; X-Accel-Redirect wins when both are there. */
        static Instruction in(ResponseHead head) {
            for (String name : List.of(ACCEL, SENDFILE)) {
                String value = head.headers().first(name).map(String::strip).orElse("");
                if (!value.isEmpty()) {
                    return new Instruction(name, value);
                }
            }
            return null;
        }
    }

    /** What an instruction leads to. */
    sealed interface Target {
        /** A regular file that may be sent. */
        record Found(Path file) implements Target {
        }

        /** No such file, in a place that was allowed: 404. */
        record Missing(String why) implements Target {
        }

        /** A place PHP may not send from, or not a file that may be sent: 500, the file never sent. */
        record Refused(String why) implements Target {
        }
    }

    private final Path root;
    private final ScriptResolver resolver;
    private final List<Path> sendfileRoots;

    RedirectTargets(BridgeConfig config, ScriptResolver resolver) {
        this.root = config.documentRoot();
        this.resolver = resolver;
        this.sendfileRoots = config.sendfileRoots();
    }

    Target resolve(Instruction instruction) {
        return instruction.header().equals(Instruction.ACCEL) ? accel(instruction.value())
                : sendfile(instruction.value());
    }

    /** A path of the document root, percent-encoded as a URI path may be; a query is ignored. */
    private Target accel(String value) {
        int query = value.indexOf('?');
        String path = query < 0 ? value : value.substring(0, query);
        if (!path.startsWith("/")) {
            return new Target.Refused("not a path of the document root");
        }
        try {
            path = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Target.Refused("a malformed %-escape");
        }
        Resolution resolution = resolver.resolve(path);
        if (resolution instanceof Resolution.StaticFile file) {
            return new Target.Found(file.file());
        }
        if (resolution instanceof Resolution.NotFound && absentInside(root, path)) {
            return new Target.Missing("no such file in the document root");
        }
        return new Target.Refused(resolution instanceof Resolution.Script ? "a script, never sent as a file"
                : "not a file the document root may serve (a directory, a dot-file, a denied path, a link or a"
                        + " path leaving it)");
    }

    /** An absolute path under one of the sendfile roots, checked on its real path. */
    private Target sendfile(String value) {
        if (sendfileRoots.isEmpty()) {
            return new Target.Refused("X-Sendfile needs a sendfile-root, and none is set");
        }
        Path path;
        try {
            path = Path.of(value);
        } catch (InvalidPathException e) {
            return new Target.Refused("not a path");
        }
        if (!path.isAbsolute() || !path.normalize().equals(path) || value.contains("/./") || value.contains("/../")) {
            return new Target.Refused("not an absolute path without . or .. segments");
        }
        Path base = sendfileRoots.stream().filter(path::startsWith).findFirst().orElse(null);
        if (base == null) {
            return new Target.Refused("outside every sendfile-root");
        }
        for (Path segment : base.relativize(path)) {
            if (segment.toString().startsWith(".") || resolver.looksLikeScript(segment.toString())) {
                return new Target.Refused("a dot-file or a script");
            }
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return new Target.Missing("no such file under the sendfile-root");
        }
        try {
            Path real = path.toRealPath();
            return real.startsWith(base) && Files.isRegularFile(real) ? new Target.Found(real)
                    : new Target.Refused("a link leading out of the sendfile-root, or not a regular file");
        } catch (IOException e) {
            return new Target.Refused("cannot be resolved: " + e.getMessage());
        }
    }

    /** Whether a plain path (no dot segment) names nothing below {@code base}, not even a link. */
    private static boolean absentInside(Path base, String path) {
        for (String segment : path.substring(1).split("/")) {
            if (segment.startsWith(".")) {
                return false;
            }
        }
        Path candidate = base.resolve(path.substring(1)).normalize();
        return candidate.startsWith(base) && !Files.exists(candidate, LinkOption.NOFOLLOW_LINKS);
    }
}
