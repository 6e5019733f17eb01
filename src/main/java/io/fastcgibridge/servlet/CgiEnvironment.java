package io.fastcgibridge.servlet;

import io.fastcgibridge.client.HttpHeaders;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CGI params sent for one servlet request, one line a param, then the request headers as
 * {@code HTTP_*} and the configured extra params. Values are byte strings (one char per byte, sent
 * as ISO-8859-1) so that what the client sent reaches PHP byte for byte: Tomcat hands headers over
 * that way, and paths are turned into their UTF-8 bytes here.
 */
public final class CgiEnvironment {

    /** Request headers never forwarded: {@code Proxy} would become HTTP_PROXY (httpoxy, CVE-2016-5385). */
    private static final List<String> DROPPED_HEADERS = List.of("proxy");

    private final String documentRoot;
    private final Map<String, String> extraParams;

    public CgiEnvironment(BridgeConfig config) {
        this.documentRoot = bytes(config.documentRoot().toString());
        this.extraParams = config.extraParams();
    }

    /** The params for {@code request} running {@code script}, with a body of {@code contentLength} bytes. */
    public Map<String, String> params(HttpServletRequest request, Resolution.Script script, long contentLength) {
        // As PHP behind nginx's "location /php/ { alias DOCROOT/; }" sees it: the URL path of the script.
        String urlPrefix = bytes(request.getContextPath() + MappedPath.of(request).prefix());
        String query = request.getQueryString() == null ? "" : request.getQueryString();
        String scriptName = urlPrefix + bytes(script.scriptName());
        String pathInfo = bytes(script.pathInfo());
        Map<String, String> params = new LinkedHashMap<>();
        params.put("GATEWAY_INTERFACE", "CGI/1.1");
        params.put("SERVER_SOFTWARE", "fastcgi-bridge");
        params.put("SERVER_PROTOCOL", request.getProtocol());
        params.put("SERVER_NAME", request.getServerName());
        params.put("SERVER_ADDR", request.getLocalAddr());
        // The port the client addressed, as a proxy's valve may have set it; nginx's $server_port is the local one.
        params.put("SERVER_PORT", Integer.toString(request.getServerPort()));
        params.put("REMOTE_ADDR", request.getRemoteAddr());
        params.put("REMOTE_PORT", Integer.toString(request.getRemotePort()));
        params.put("REQUEST_METHOD", request.getMethod());
        params.put("REQUEST_SCHEME", request.getScheme());
        params.put("REQUEST_URI", request.getRequestURI() + (query.isEmpty() ? "" : "?" + query));
        params.put("DOCUMENT_URI", scriptName + pathInfo);
        params.put("DOCUMENT_ROOT", documentRoot);
        params.put("SCRIPT_FILENAME", bytes(script.file().toString()));
        params.put("SCRIPT_NAME", scriptName);
        params.put("PATH_INFO", pathInfo);
        if (!pathInfo.isEmpty()) {
            params.put("PATH_TRANSLATED", documentRoot + pathInfo);
        }
        params.put("QUERY_STRING", query);
        params.put("CONTENT_TYPE", request.getContentType() == null ? "" : request.getContentType());
        params.put("CONTENT_LENGTH", contentLength > 0 || request.getContentType() != null ? Long.toString(contentLength) : "");
        if (request.isSecure()) {
            params.put("HTTPS", "on");
            // Set by the container on a TLS connection it terminated itself, not for a proxy's:
            // Servlet 6.1 (Tomcat 11) names it, Tomcat 10.1 has its own name.
            Object protocol = request.getAttribute("jakarta.servlet.request.secure_protocol");
            if (protocol == null) {
                protocol = request.getAttribute("org.apache.tomcat.util.net.secure_protocol_version");
            }
            if (protocol != null) {
                params.put("SSL_PROTOCOL", protocol.toString());
            }
        }
        params.put("REDIRECT_STATUS", "200");
        putIfPresent(params, "AUTH_TYPE", request.getAuthType());
        putIfPresent(params, "REMOTE_USER", request.getRemoteUser());
        putHeaders(params, request);
        params.put("HTTP_X_REQUEST_ID", RequestId.of(request));
        params.putAll(extraParams);
        return params;
    }

    /**
     * Every header as {@code HTTP_*}, repeated ones joined as RFC 9110 allows ({@code Cookie} with
     * {@code "; "}). {@code Authorization} goes too: PHP builds PHP_AUTH_USER and PHP_AUTH_PW from
     * it. Names holding {@code _} are dropped: they would collide with the {@code -} form.
     */
    private static void putHeaders(Map<String, String> params, HttpServletRequest request) {
        for (String name : Collections.list(request.getHeaderNames())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (name.indexOf('_') >= 0 || DROPPED_HEADERS.contains(lower)) {
                continue;
            }
            List<String> values = new ArrayList<>(Collections.list(request.getHeaders(name)));
            params.put(HttpHeaders.cgiName(name), String.join(lower.equals("cookie") ? "; " : ", ", values));
        }
    }

    private static void putIfPresent(Map<String, String> params, String name, String value) {
        if (value != null) {
            params.put(name, value);
        }
    }

    /** A Java string as its UTF-8 bytes, one char per byte. */
    static String bytes(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return text;
    }
}
