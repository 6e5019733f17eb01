package io.fastcgibridge.servlet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Maps a decoded request path to a {@link Resolution}, as nginx's {@code try_files $uri $uri/
 * /index.php} with {@code fastcgi_split_path_info} would, but strictly: the first path segment that
 * ends with a script extension (exactly, case-sensitively) must be a regular file inside the
 * document root, checked on its real path; everything after it is PATH_INFO. Nothing else runs.
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

    public ScriptResolver(BridgeConfig config) {
        this.root = config.documentRoot();
        this.index = config.index();
        this.frontController = config.frontController();
        this.extensions = config.extensions();
        this.denyPrefixes = config.denyPrefixes();
        this.denyPatterns = config.denyPatterns();
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
                Path file = inside(scriptName);
                return file != null && Files.isRegularFile(file) ? new Resolution.Script(file, scriptName, pathInfo)
                        : fallback();
            }
        }
        return fileOrDirectory(path);
    }

    /**
     * Deny rules see the path that was resolved as well as the one asked for, as nginx matches its
     * locations again after an internal redirect: a directory's index script, the front controller,
     * a static file. Otherwise a rule on the file ({@code ~\.jpg$}) would miss a request that
     * reaches the file by another spelling.
     */
    private Resolution allowed(Resolution resolution) {
        String resolvedPath = null;
        if (resolution instanceof Resolution.Script script) {
            resolvedPath = script.scriptName();
        } else if (resolution instanceof Resolution.StaticFile file) {
            resolvedPath = "/" + root.relativize(file.file()).toString().replace(java.io.File.separatorChar, '/');
        }
        return resolvedPath != null && isDenied(resolvedPath) ? new Resolution.NotFound() : resolution;
    }

    private Resolution fileOrDirectory(String path) {
        Path target = inside(path);
        if (target != null && Files.isDirectory(target)) {
            if (!path.endsWith("/")) {
                return new Resolution.Redirect(path + "/");
            }
            Path indexFile = inside(path + index);
            if (indexFile != null && Files.isRegularFile(indexFile) && isScriptName(index)) {
                return new Resolution.Script(indexFile, path + index, "");
            }
            return fallback();
        }
        // A trailing slash names a directory: "/a.jpg/" is not the file a.jpg, as the file system says too.
        if (target != null && !path.endsWith("/") && Files.isRegularFile(target)
                && !looksLikeScript(target.getFileName().toString())) {
            return new Resolution.StaticFile(target);
        }
        return fallback();
    }

    /** The front controller when there is one, else 404. */
    private Resolution fallback() {
        if (frontController.isEmpty()) {
            return new Resolution.NotFound();
        }
        Path file = inside(frontController);
        return file != null && Files.isRegularFile(file) ? new Resolution.Script(file, frontController, "")
                : new Resolution.NotFound();
    }

    /**
     * The real path of a URL path when it exists inside the document root, else {@code null}. The
     * root is a real path already, so a file with no symbolic link below the root is its own real
     * path: that costs one {@code lstat} a segment where {@code toRealPath} costs a {@code readlink}
     * for every segment from {@code /}, and a missing file (every pretty URL of a front-controller
     * application) is answered by {@code java.io} without an exception.
     */
    private Path inside(String urlPath) {
        Path candidate = root.resolve(urlPath.substring(1)).normalize();
        if (!candidate.startsWith(root) || !candidate.toFile().exists()) {
            return null;
        }
        if (noLinkBelowRoot(candidate)) {
            return candidate;
        }
        try {
            Path real = candidate.toRealPath();
            return real.startsWith(root) ? real : null;
        } catch (IOException e) {
            return null;
        }
    }

    private boolean noLinkBelowRoot(Path path) {
        for (Path element = path; !element.equals(root); element = element.getParent()) {
            if (Files.isSymbolicLink(element)) {
                return false;
            }
        }
        return true;
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
