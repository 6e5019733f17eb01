package io.fastcgibridge.servlet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * The bytes chosen for a static file: the file itself, or a precompressed sibling ({@code file.br},
 * {@code file.gz}) the client accepts, with the validators of what is actually sent.
 *
 * @param file the file whose bytes are sent
 * @param encoding the {@code Content-Encoding}, or {@code null} for the file as it is
 * @param size the number of bytes in {@code file}
 * @param modified the last modification time of {@code file}, in milliseconds
 * @param hasSiblings whether any precompressed sibling exists, so the choice varies by Accept-Encoding
 */
record StaticRepresentation(Path file, String encoding, long size, long modified, boolean hasSiblings) {

    /** The encodings looked for, best first when the client likes them equally. */
    private static final String[][] ENCODINGS = {{"br", ".br"}, {"gzip", ".gz"}};

    /**
     * Chooses what to send of {@code file} for a request's {@code Accept-Encoding} (or {@code null}).
     * A sibling counts only as a regular file that is not a symbolic link, so it never leads out of
     * the folder the resolver checked; one the client does not accept is never sent.
     */
    static StaticRepresentation choose(Path file, String acceptEncoding) throws IOException {
        String name = file.getFileName().toString();
        boolean hasSiblings = false;
        StaticRepresentation best = null;
        double bestQuality = 0;
        for (String[] encoding : ENCODINGS) {
            BasicFileAttributes sibling = attributesOrNull(file.resolveSibling(name + encoding[1]));
            if (sibling == null) {
                continue;
            }
            hasSiblings = true;
            double quality = quality(acceptEncoding, encoding[0]);
            if (quality > bestQuality) {
                bestQuality = quality;
                best = new StaticRepresentation(file.resolveSibling(name + encoding[1]), encoding[0],
                        sibling.size(), sibling.lastModifiedTime().toMillis(), true);
            }
        }
        if (best != null) {
            return best;
        }
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return new StaticRepresentation(file, null, attributes.size(), attributes.lastModifiedTime().toMillis(),
                hasSiblings);
    }

    /** The strong entity tag: size and time in hex, and the encoding's file suffix when encoded. */
    String etag() {
        String suffix = encoding == null ? "" : encoding.equals("br") ? "-br" : "-gz";
        return "\"" + Long.toHexString(size) + "-" + Long.toHexString(modified) + suffix + "\"";
    }

    /**
     * The quality {@code Accept-Encoding} gives a coding (RFC 9110 §12.5.3): its own entry, else
     * that of {@code *}, else 0; {@code x-gzip} counts as {@code gzip}. An absent header accepts no coding
     * here, since sending the file as it is never fails.
     */
    static double quality(String acceptEncoding, String coding) {
        if (acceptEncoding == null) {
            return 0;
        }
        double own = -1;
        double any = -1;
        for (String member : acceptEncoding.split(",")) {
            String[] parts = member.split(";");
            String name = parts[0].strip().toLowerCase(Locale.ROOT);
            if (name.equals("x-gzip")) {
                name = "gzip";
            }
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].strip().toLowerCase(Locale.ROOT);
                if (parameter.startsWith("q=")) {
                    q = qvalue(parameter.substring(2).strip());
                }
            }
            if (name.equals(coding)) {
                own = Math.max(own, q);
            } else if (name.equals("*")) {
                any = Math.max(any, q);
            }
        }
        return own >= 0 ? own : Math.max(any, 0);
    }

    /** A qvalue between 0 and 1 with at most three decimals; anything else counts as 0. */
    private static double qvalue(String text) {
        if (!text.matches("(0(\\.\\d{0,3})?|1(\\.0{0,3})?)")) {
            return 0;
        }
        return Double.parseDouble(text);
    }

    private static BasicFileAttributes attributesOrNull(Path path) {
        // Most files have no sibling: java.io says so without the exception NIO would throw.
        if (!path.toFile().exists()) {
            return null;
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() ? attributes : null;
        } catch (IOException e) {
            return null; // absent or unreadable: as if there were none
        }
    }
}
