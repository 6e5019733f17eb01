package io.fastcgibridge.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Serves a non-script file of the document root as a static resource handler would: GET, HEAD and
 * OPTIONS (405 with {@code Allow} otherwise), content type from the extension, validators with 304
 * and 412 answers, {@code Cache-Control} by path rule, single byte ranges, precompressed
 * {@code .br}/{@code .gz} siblings, and the container's sendfile for large bodies.
 *
 * <p>A {@code Range} asking for several parts that do not merge into one is ignored (200 with the
 * whole file): RFC 9110 allows it, and it spares multipart/byteranges bodies.
 */
final class StaticFiles {

    static final String ALLOW = "GET, HEAD, OPTIONS";
    /** Bodies from this size on go through sendfile when the container offers it (Tomcat's own default). */
    static final long SENDFILE_THRESHOLD = 48 * 1024;
    static final String SENDFILE_SUPPORT = "org.apache.tomcat.sendfile.support";
    static final String SENDFILE_FILENAME = "org.apache.tomcat.sendfile.filename";
    static final String SENDFILE_START = "org.apache.tomcat.sendfile.start";
    static final String SENDFILE_END = "org.apache.tomcat.sendfile.end";
    private static final int BUFFER_SIZE = 16 * 1024;

    private final ServletContext context;
    private final List<CacheRule> rules;
    private final CompressionPolicy compression;
    private final SymlinkPolicy symlinks;

    StaticFiles(ServletContext context) {
        this(context, List.of());
    }

    StaticFiles(ServletContext context, List<CacheRule> rules) {
        this(context, rules, CompressionPolicy.OFF, SymlinkPolicy.FOLLOW);
    }

    StaticFiles(ServletContext context, List<CacheRule> rules, CompressionPolicy compression,
            SymlinkPolicy symlinks) {
        this.context = context;
        this.rules = List.copyOf(rules);
        this.compression = compression;
        this.symlinks = symlinks;
    }

    /** Answers a request for {@code file}, a regular file the caller trusts: it is opened by name. */
    void serve(HttpServletRequest request, HttpServletResponse response, Path file) throws IOException {
        serve(request, response, file, false);
    }

    /**
     * Answers a request for {@code file}, the real path the resolver checked against the symlink
     * policy. Unless links are followed anyway, a path that someone other than root or this
     * process's user could change is opened without following any link, and its bytes are copied
     * from that opening rather than handed to sendfile, which would open it by name again.
     */
    void serveResolved(HttpServletRequest request, HttpServletResponse response, Path file) throws IOException {
        serve(request, response, file, symlinks != SymlinkPolicy.FOLLOW);
    }

    private void serve(HttpServletRequest request, HttpServletResponse response, Path file, boolean verify)
            throws IOException {
        String method = request.getMethod();
        if (method.equals("OPTIONS")) {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setHeader("Allow", ALLOW);
            response.setContentLength(0);
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.setHeader("Allow", ALLOW);
            ErrorPages.send(response, 405, Duration.ZERO);
            return;
        }
        Slice slice = prepare(request, response, file, method.equals("HEAD"), true);
        if (slice == null) {
            return;
        }
        boolean byName = !verify || StablePaths.isStable(slice.file());
        if (!slice.gzip()) {
            send(request, response, slice, byName);
            return;
        }
        try (SeekableByteChannel channel = open(response, slice, byName)) {
            if (channel != null) {
                sendCompressed(channel, slice.length(), response.getOutputStream());
            }
        }
    }

    /**
     * The bytes of a file to send, the headers set: status, validators, type, range. The response
     * is sent (with no body or a short one) for a 304, 412 or 416, and then there is no slice.
     *
     * @param file the file to send, or to start from for a precompressed sibling
     * @param gzip whether the slice is the whole file, to be gzipped on the fly
     */
    record Slice(Path file, long start, long length, boolean gzip) {
    }

    /**
     * Evaluates a GET ({@code headOnly}: a HEAD) of {@code file}: conditions, ranges, siblings and,
     * where {@code mayCompress}, gzip on the fly. A Content-Type or Cache-Control already on the
     * response (PHP's, for an internal redirect) wins. Returns {@code null} when the answer is complete.
     */
    Slice prepare(HttpServletRequest request, HttpServletResponse response, Path file, boolean headOnly,
            boolean mayCompress) throws IOException {
        String acceptEncoding = request.getHeader("Accept-Encoding");
        StaticRepresentation chosen = StaticRepresentation.choose(file, acceptEncoding);
        boolean varies = chosen.hasSiblings() || (mayCompress && compressible(chosen, file));
        boolean gzip = varies && mayCompress && chosen.encoding() == null && compressible(chosen, file)
                && compression.offered(headOnly ? "HEAD" : "GET", acceptEncoding) && request.getHeader("Range") == null;
        // Compressed on the fly, the bytes are not those the strong tag names: weak, as nginx makes it.
        response.setHeader("ETag", gzip ? "W/" + chosen.etag() : chosen.etag());
        response.setDateHeader("Last-Modified", chosen.modified());
        if (varies) {
            response.setHeader("Vary", "Accept-Encoding");
        }
        StaticConditions conditions = new StaticConditions(chosen.etag(), chosen.modified());
        StaticConditions.Outcome outcome = conditions.evaluate(request);
        if (outcome == StaticConditions.Outcome.PRECONDITION_FAILED) {
            sendStatus(response, 412, "Precondition Failed");
            return null;
        }
        if (outcome == StaticConditions.Outcome.NOT_MODIFIED) {
            cacheControl(request, response);
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return null;
        }
        response.setHeader("Accept-Ranges", "bytes");
        ByteRange.Selection selection = !headOnly && conditions.rangeAllowed(request)
                ? ByteRange.select(request.getHeader("Range"), chosen.size())
                : new ByteRange.Whole();
        if (selection instanceof ByteRange.Unsatisfiable) {
            response.setHeader("Content-Range", "bytes */" + chosen.size());
            sendStatus(response, 416, "Range Not Satisfiable");
            return null;
        }
        cacheControl(request, response);
        if (response.getContentType() == null) {
            response.setContentType(contentType(file));
        }
        if (chosen.encoding() != null || gzip) {
            response.setHeader("Content-Encoding", gzip ? "gzip" : chosen.encoding());
        }
        if (!gzip && selection instanceof ByteRange.Parts parts && parts.ranges().size() == 1) {
            ByteRange range = parts.ranges().get(0);
            response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
            response.setHeader("Content-Range", range.contentRange(chosen.size()));
            return new Slice(chosen.file(), range.first(), range.length(), false);
        }
        response.setStatus(HttpServletResponse.SC_OK);
        return new Slice(chosen.file(), 0, chosen.size(), gzip);
    }

    /** The content type by extension; text types without a charset are declared UTF-8. */
    String contentType(Path file) {
        String type = context.getMimeType(file.getFileName().toString());
        if (type == null) {
            return "application/octet-stream";
        }
        String lower = type.toLowerCase(Locale.ROOT);
        String base = lower.split(";", 2)[0].strip();
        boolean textual = base.startsWith("text/") || base.equals("application/javascript")
                || base.equals("application/json");
        return textual && !lower.contains("charset=") ? type + ";charset=utf-8" : type;
    }

    /**
     * Sends the slice: by sendfile when worth it and the file may be opened {@code byName}, else
     * copied from an opening (one that follows no link, unless {@code byName}).
     */
    private static void send(HttpServletRequest request, HttpServletResponse response, Slice slice, boolean byName)
            throws IOException {
        response.setContentLengthLong(slice.length());
        if (request.getMethod().equals("HEAD") || slice.length() == 0) {
            return;
        }
        if (byName && slice.length() >= SENDFILE_THRESHOLD
                && Boolean.TRUE.equals(request.getAttribute(SENDFILE_SUPPORT))) {
            request.setAttribute(SENDFILE_FILENAME, slice.file().toAbsolutePath().toString());
            request.setAttribute(SENDFILE_START, slice.start());
            request.setAttribute(SENDFILE_END, slice.start() + slice.length());
            return;
        }
        try (SeekableByteChannel channel = open(response, slice, byName)) {
            if (channel != null) {
                copy(channel, slice.start(), slice.length(), response.getOutputStream());
            }
        }
    }

    /**
     * Opens a slice of a file the resolver checked, as {@link #serveResolved} would read it: with no
     * link followed when the symlink policy asks it and the path could be changed by another user.
     *
     * @throws IOException when it cannot be opened so (a segment became a link)
     */
    FileChannel openResolved(Slice slice) throws IOException {
        if (symlinks == SymlinkPolicy.FOLLOW || StablePaths.isStable(slice.file())) {
            return FileChannel.open(slice.file());
        }
        SeekableByteChannel channel = NoFollowOpen.open(slice.file());
        if (channel instanceof FileChannel file) {
            return file;
        }
        channel.close();
        throw new IOException("no positional channel for " + slice.file());
    }

    /**
     * Opens the slice's file by name, or with no link followed; when the latter cannot be (a segment
     * became a link) or the file is no longer the size that was checked, answers 404, as for a refused
     * link, and returns {@code null}.
     */
    private static SeekableByteChannel open(HttpServletResponse response, Slice slice, boolean byName)
            throws IOException {
        if (byName) {
            return Files.newByteChannel(slice.file());
        }
        SeekableByteChannel channel;
        try {
            channel = NoFollowOpen.open(slice.file());
        } catch (IOException e) {
            response.reset();
            ErrorPages.send(response, 404, Duration.ZERO);
            return null;
        }
        if (channel.size() < slice.start() + slice.length()) {
            channel.close();
            response.reset();
            ErrorPages.send(response, 404, Duration.ZERO);
            return null;
        }
        return channel;
    }

    /** Whether the file as it is (no sibling chosen) is of a compressed type and long enough. */
    private boolean compressible(StaticRepresentation chosen, Path file) {
        return compression.enabled() && chosen.size() >= Math.max(1, compression.minLength())
                && compression.compressibleType(contentType(file));
    }

    /**
     * Gzips the file into the response on this container thread, without a Content-Length (the
     * container sends it chunked, or closes); sendfile cannot compress.
     */
    private static void sendCompressed(SeekableByteChannel file, long size, ServletOutputStream out)
            throws IOException {
        try (GZIPOutputStream gzip = new GZIPOutputStream(new NonClosing(out), BUFFER_SIZE) {
            {
                def.setLevel(GzipEncoder.LEVEL);
            }
        }) {
            copy(file, 0, size, gzip);
        }
    }

    /** Lets a gzip stream finish without closing the response's stream, which the container ends. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** Copies a slice of an open file through a bounded buffer. */
    private static void copy(SeekableByteChannel channel, long start, long length, OutputStream out)
            throws IOException {
        channel.position(start);
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(BUFFER_SIZE, Math.max(1, length)));
        long remaining = length;
        while (remaining > 0) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), remaining));
            int read = channel.read(buffer);
            if (read < 0) {
                throw new IOException("a static file became shorter while it was being sent");
            }
            out.write(buffer.array(), 0, read);
            remaining -= read;
        }
    }

    /** Sets the {@code Cache-Control} of the first rule for the path, on 200, 206 and 304 answers only. */
    private void cacheControl(HttpServletRequest request, HttpServletResponse response) {
        String value = CacheRule.valueFor(rules, path(request));
        if (value != null && !response.containsHeader("Cache-Control")) {
            response.setHeader("Cache-Control", value);
        }
    }

    /** The path inside the servlet's mapping, with one slash between segments as the resolver sees it. */
    private static String path(HttpServletRequest request) {
        return ScriptResolver.collapseSlashes(MappedPath.of(request).path());
    }

    /** A short plain-text answer for statuses {@link ErrorPages} has no phrase for. */
    private static void sendStatus(HttpServletResponse response, int status, String phrase) throws IOException {
        byte[] body = (status + " " + phrase + "\n").getBytes(StandardCharsets.US_ASCII);
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
