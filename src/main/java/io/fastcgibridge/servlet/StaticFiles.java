package io.fastcgibridge.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Serves a non-script file of the document root: GET and HEAD (405 with {@code Allow} otherwise),
 * content type from the extension, {@code ETag} and {@code Last-Modified} with 304 answers.
 */
final class StaticFiles {

    private final ServletContext context;

    StaticFiles(ServletContext context) {
        this.context = context;
    }

    void serve(HttpServletRequest request, HttpServletResponse response, Path file) throws IOException {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.setHeader("Allow", "GET, HEAD");
            ErrorPages.send(response, 405, java.time.Duration.ZERO);
            return;
        }
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        long modified = attributes.lastModifiedTime().toMillis();
        String etag = "\"" + Long.toHexString(attributes.size()) + "-" + Long.toHexString(modified) + "\"";
        response.setHeader("ETag", etag);
        response.setDateHeader("Last-Modified", modified);
        if (notModified(request, etag, modified)) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        String type = context.getMimeType(file.getFileName().toString());
        response.setContentType(type != null ? type : "application/octet-stream");
        response.setContentLengthLong(attributes.size());
        if (method.equals("GET")) {
            Files.copy(file, response.getOutputStream());
        }
    }

    private static boolean notModified(HttpServletRequest request, String etag, long modified) {
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null) {
            for (String candidate : ifNoneMatch.split(",")) {
                String tag = candidate.trim();
                if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                    return true;
                }
            }
            return false;
        }
        long since = request.getDateHeader("If-Modified-Since");
        return since >= 0 && modified / 1000 <= since / 1000;
    }
}
