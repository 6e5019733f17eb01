package io.fastcgibridge.servlet;

import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Maps a decoded request path to a {@link Resolution}, as nginx's {@code try_files $uri $uri/
 * /index.php} with {@code fastcgi_split_path_info} would, but strictly: the first path segment that
 * ends with a script extension (exactly, case-sensitively) must be a regular file reached from the
 * document root through no symbolic link the {@link SymlinkPolicy} refuses; everything after it is
 * PATH_INFO. Nothing else runs. A script keeps the path as requested (PHP's SCRIPT_FILENAME); a
 * static file is given by its real path.
 */
public final class ScriptResolver {

    private static final Pattern REPEATED_SLASHES = Pattern.compile("/{2,}");

    private final Path root;
    private final String index;
    private final String frontController;
    private final List<String> extensions;
    private final List<String> denyPrefixes;
    private final List<Pattern> denyPatterns;
    /** A script extension not followed by a letter or digit: {@code .php}, {@code .php.bak}, {@code .php~}. */
    private final Pattern scriptLike;
    private final PathWalk walk;
    private final RefusedLinks refusedLinks;

    public ScriptResolver(BridgeConfig config) {
        this.root = config.documentRoot();
        this.index = config.index();
        this.frontController = config.frontController();
        this.extensions = config.extensions();
        this.denyPrefixes = config.denyPrefixes();
        this.denyPatterns = config.denyPatterns();
        this.walk = new PathWalk(root, config.symlinks());
        this.refusedLinks = new RefusedLinks(config.symlinks());
        this.scriptLike = Pattern.compile(String.join("|", extensions.stream()
                .map(extension -> Pattern.quote(extension.toLowerCase(Locale.ROOT)) + "(?![a-z0-9])").toList()));
    }

    /** Resolves a context-relative, decoded path such as {@code /app.php/users}. */
    public Resolution resolve(String path) {
        if (path.isEmpty()) {
            path = "/";
        }
        // Deny rules and segments see the path as the file system will: one slash between segments.
        path = collapseSlashes(path);
        if (path.indexOf('\0') >= 0 || path.indexOf('\r') >= 0 || path.indexOf('\n') >= 0) {
            return new Resolution.BadRequest("control character in the path");
        }
        if (!path.startsWith("/") || isDenied(path)) {
            return new Resolution.NotFound();
        }
        String[] segments = path.substring(1).split("/", -1);
        for (String segment : segments) {
            if (segment.equals("..") || segment.equals(".") || isHidden(segment)) {
                return new Resolution.NotFound();
            }
        }
        // When the document root is a web application's folder, its private folders stay private.
        if (segments[0].equalsIgnoreCase("WEB-INF") || segments[0].equalsIgnoreCase("META-INF")) {
            return new Resolution.NotFound();
        }
        return allowed(resolveExisting(path, segments));
    }

    private Resolution resolveExisting(String path, String[] segments) {
        for (int i = 0; i < segments.length; i++) {
            if (isScriptName(segments[i])) {
                String scriptName = "/" + String.join("/", List.of(segments).subList(0, i + 1));
                String pathInfo = path.substring(scriptName.length());
                Located file = inside(scriptName);
                return file != null && file.regularFile() ? new Resolution.Script(file.requested(), scriptName,
                        pathInfo) : fallback();
            }
        }
        return fileOrDirectory(path);
    }

    /**
     * Deny rules see the path that was resolved as well as the one asked for, as nginx matches its
     * locations again after an internal redirect: a directory's index script, the front controller,
     * and (in {@link #inside}) where a link inside the root leads. Otherwise a rule on the file
     * ({@code ~\.jpg$}) would miss a request that reaches the file by another spelling.
     */
    private Resolution allowed(Resolution resolution) {
        return resolution instanceof Resolution.Script script && isDenied(script.scriptName())
                ? new Resolution.NotFound() : resolution;
    }

    private Resolution fileOrDirectory(String path) {
        Located target = inside(path);
        if (target != null && target.directory()) {
            if (!path.endsWith("/")) {
                return new Resolution.Redirect(path + "/");
            }
            Located indexFile = inside(path + index);
            if (indexFile != null && indexFile.regularFile() && isScriptName(index)) {
                return new Resolution.Script(indexFile.requested(), path + index, "");
            }
            return fallback();
        }
        // A trailing slash names a directory: "/a.jpg/" is not the file a.jpg, as the file system says too.
        if (target != null && !path.endsWith("/") && target.regularFile()
                && !looksLikeScript(target.requested().getFileName().toString())
                && !looksLikeScript(target.real().getFileName().toString())) {
            return new Resolution.StaticFile(target.real());
        }
        return fallback();
    }

    /** The front controller when there is one, else 404. */
    private Resolution fallback() {
        if (frontController.isEmpty()) {
            return new Resolution.NotFound();
        }
        Located file = inside(frontController);
        return file != null && file.regularFile() ? new Resolution.Script(file.requested(), frontController, "")
                : new Resolution.NotFound();
    }

    /**
     * Where a URL path leads when it exists and the symlink policy allows the way there, else
     * {@code null}. A missing file (every pretty URL of a front-controller application) is answered
     * by {@code java.io} without an exception; a refused link is logged once. A link inside the root
     * is subject to the deny rules at the place it leads to.
     */
    private Located inside(String urlPath) {
        Path requested = root.resolve(urlPath.substring(1)).normalize();
        if (!requested.startsWith(root) || !requested.toFile().exists()) {
            return null;
        }
        PathWalk.Outcome outcome = walk.walk(requested);
        if (outcome instanceof PathWalk.Outcome.Refused refused) {
            refusedLinks.refused(refused.link(), refused.why());
            return null;
        }
        if (!(outcome instanceof PathWalk.Outcome.Found found)) {
            return null;
        }
        if (!found.real().equals(requested) && found.real().startsWith(root) && isDenied(
                "/" + root.relativize(found.real()).toString().replace(java.io.File.separatorChar, '/'))) {
            return null;
        }
        return new Located(requested, found.real(), found.directory(), found.regularFile());
    }

    /** A path that exists: as requested (below the root) and real (links resolved). */
    private record Located(Path requested, Path real, boolean directory, boolean regularFile) {
    }

    /** The path with one slash between segments, as the file system sees it. */
    static String collapseSlashes(String path) {
        return path.contains("//") ? REPEATED_SLASHES.matcher(path).replaceAll("/") : path;
    }

    private boolean isDenied(String path) {
        for (String prefix : denyPrefixes) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        for (Pattern pattern : denyPatterns) {
            if (pattern.matcher(path).find()) {
                return true;
            }
        }
        return false;
    }

    /** Only an exact, case-sensitive extension makes a script: {@code a.PHP} or {@code a.php.} never run. */
    boolean isScriptName(String name) {
        for (String extension : extensions) {
            if (name.length() > extension.length() && name.endsWith(extension)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a file name could be taken for a script, or is a copy of one: another case, trailing
     * dots or spaces, compatibility forms such as fullwidth letters, backups such as {@code .php~}
     * or {@code .php.bak}. Such files are never served as static content, so script source never leaks.
     */
    boolean looksLikeScript(String name) {
        String folded = Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return scriptLike.matcher(folded).find();
    }

    /** Dot-files and dot-folders are never served or run, except {@code .well-known}. */
    private static boolean isHidden(String segment) {
        return segment.startsWith(".") && !segment.equals(".well-known");
    }
}
