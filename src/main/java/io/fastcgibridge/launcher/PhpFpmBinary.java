package io.fastcgibridge.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the PHP-FPM program: {@code $PHP_FPM}, else {@code php-fpm} or the newest
 * {@code php-fpmX.Y} on the PATH, else the newest in the system folders (Debian installs
 * {@code /usr/sbin/php-fpm8.2}, not on a user's PATH).
 */
final class PhpFpmBinary {

    /** What to install, said when there is none. */
    static final String INSTALL_HINT = "PHP-FPM not found. Install it (Debian/Ubuntu: apt-get install php-fpm;"
            + " Fedora: dnf install php-fpm; Alpine: apk add php83-fpm; macOS: brew install php),"
            + " set PHP_FPM=/path/to/php-fpm, or give --fpm ADDRESS for a PHP-FPM of your own";

    private static final Pattern NAME = Pattern.compile("php-fpm(?:(\\d+)\\.(\\d+))?");

    private PhpFpmBinary() {
    }

    /**
     * The binary to run.
     *
     * @param env the environment ({@code PHP_FPM}, {@code PATH})
     * @param systemFolders where to look after the PATH
     * @throws IllegalStateException with {@link #INSTALL_HINT} when there is none
     */
    static Path find(java.util.Map<String, String> env, List<Path> systemFolders) {
        String explicit = env.get("PHP_FPM");
        if (explicit != null && !explicit.isBlank()) {
            Path binary = Path.of(explicit);
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException("PHP_FPM=" + explicit + " is not an executable file");
            }
            return binary;
        }
        List<Path> folders = new ArrayList<>();
        for (String entry : env.getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                folders.add(Path.of(entry));
            }
        }
        folders.addAll(systemFolders);
        for (Path folder : folders) {
            Optional<Path> found = newestIn(folder);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new IllegalStateException(INSTALL_HINT);
    }

    private static Optional<Path> newestIn(Path folder) {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> NAME.matcher(file.getFileName().toString()).matches())
                    .filter(Files::isExecutable)
                    .max(Comparator.comparingLong(PhpFpmBinary::rank));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Plain {@code php-fpm} first (the distribution's choice), then higher versions. */
    private static long rank(Path binary) {
        Matcher m = NAME.matcher(binary.getFileName().toString());
        if (!m.matches() || m.group(1) == null) {
            return Long.MAX_VALUE;
        }
        return Long.parseLong(m.group(1)) * 1000 + Long.parseLong(m.group(2));
    }
}
