package io.fastcgibridge.servlet;

import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.MappingMatch;

/**
 * Where a request falls inside the servlet's mapping, as nginx's {@code location /php/ { alias
 * DOCROOT/; }} would see it: the part of the URL the mapping took ({@code /php} under
 * {@code /php/*}, nothing under {@code /} or {@code *.php}) and the path below it, which names a
 * file of the document root.
 *
 * <p>A welcome-file dispatch is taken back to its folder: for {@code /sub/} the container may pick
 * a welcome file of its own ({@code index.jsp}, from its defaults) and hand the servlet
 * {@code /sub/index.jsp}; the bridge's {@code index} decides instead, as it does everywhere else.
 *
 * @param prefix the servlet path of a {@code /prefix/*} mapping, else empty
 * @param path the path inside the mapping, from {@code /}; empty for the bare prefix ({@code /php})
 */
record MappedPath(String prefix, String path) {

    static MappedPath of(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        if (isPrefixMapping(request)) {
            return new MappedPath(servletPath, pathInfo == null ? "" : pathInfo);
        }
        String path = servletPath + (pathInfo == null ? "" : pathInfo);
        if (isWelcomeFileDispatch(request, path)) {
            path = path.substring(0, path.lastIndexOf('/') + 1);
        }
        return new MappedPath("", path);
    }

    private static boolean isPrefixMapping(HttpServletRequest request) {
        HttpServletMapping mapping = request.getHttpServletMapping();
        return mapping != null && mapping.getMappingMatch() == MappingMatch.PATH;
    }

    /** The client asked for a folder ({@code /sub/}), and the container mapped a file in it. */
    private static boolean isWelcomeFileDispatch(HttpServletRequest request, String path) {
        String uri = request.getRequestURI();
        return uri != null && uri.endsWith("/") && !path.endsWith("/") && path.lastIndexOf('/') >= 0;
    }
}
