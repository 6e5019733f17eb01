package io.fastcgibridge.servlet;

import java.util.List;
import java.util.Locale;

/**
 * Which responses the bridge gzips: text-like content types (nginx's {@code gzip_types}, Caddy's
 * {@code encode} defaults) of at least {@code minLength} bytes, for a client whose
 * {@code Accept-Encoding} takes gzip, and never a response that is already encoded, partial, empty
 * by definition (204, 304) or the answer to a HEAD.
 *
 * @param enabled whether the bridge compresses at all
 * @param minLength the smallest body worth compressing, in bytes
 * @param types the content types compressed: {@code text/*} style prefixes or exact types
 */
public record CompressionPolicy(boolean enabled, long minLength, List<String> types) {

    /** The types compressed by default: text, and the textual application and image types. */
    public static final List<String> DEFAULT_TYPES = List.of("text/*", "application/json", "application/*+json",
            "application/javascript", "application/x-javascript", "application/ecmascript", "application/xml",
            "application/*+xml", "application/xhtml+xml", "application/manifest+json", "application/wasm",
            "application/x-font-ttf", "font/ttf", "font/otf", "image/svg+xml", "image/x-icon",
            "image/vnd.microsoft.icon", "image/bmp");

    /** Compression as nothing: every response goes out as it is. */
    public static final CompressionPolicy OFF = new CompressionPolicy(false, 0, List.of());

    public CompressionPolicy {
        types = List.copyOf(types);
    }

    /** Whether the request allows gzip at all: not a HEAD, and gzip (or x-gzip, or *) with a quality above 0. */
    public boolean offered(String method, String acceptEncoding) {
        return enabled && !"HEAD".equals(method) && StaticRepresentation.quality(acceptEncoding, "gzip") > 0;
    }

    /**
     * Whether a response of this status, content type and content coding would be compressed for a
     * client that takes gzip, size aside: what {@code Vary: Accept-Encoding} is about.
     */
    public boolean candidate(int status, String contentType, String contentEncoding) {
        return enabled && compressibleStatus(status) && contentEncoding == null && compressibleType(contentType);
    }

    /** 200 and the error pages an application writes; never partial, bodiless or redirecting answers. */
    static boolean compressibleStatus(int status) {
        return status == 200 || status == 201 || status == 203 || (status >= 400 && status != 416 && status < 600);
    }

    /** Whether {@code contentType} (parameters ignored) is one of the compressed types. */
    public boolean compressibleType(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        for (String pattern : types) {
            if (matches(pattern, type)) {
                return true;
            }
        }
        return false;
    }

    /** {@code text/*} matches a major type, {@code application/*+json} a suffix; anything else the whole type. */
    private static boolean matches(String pattern, String type) {
        if (pattern.endsWith("/*")) {
            return type.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        int star = pattern.indexOf("/*");
        if (star >= 0) {
            return type.startsWith(pattern.substring(0, star + 1)) && type.endsWith(pattern.substring(star + 2));
        }
        return type.equals(pattern);
    }
}
