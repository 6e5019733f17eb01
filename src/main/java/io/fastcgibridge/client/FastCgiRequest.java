package io.fastcgibridge.client;

import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One request to a FastCGI responder, immutable: each {@code with*} method returns a changed copy.
 * {@link #params()} turns it into the CGI params PHP-FPM expects; explicit {@link #withParam params}
 * come last and win.
 */
public final class FastCgiRequest {

    private final String method;
    private final String uri;
    private final Path scriptFilename;
    private final Path documentRoot;
    private final HttpHeaders headers;
    private final RequestBody body;
    private final String contentType;
    private final Map<String, String> extraParams;
    private final boolean keepConn;
    private final Charset paramCharset;

    private FastCgiRequest(String method, String uri, Path scriptFilename, Path documentRoot, HttpHeaders headers,
            RequestBody body, String contentType, Map<String, String> extraParams, boolean keepConn,
            Charset paramCharset) {
        this.method = method;
        this.uri = uri;
        this.scriptFilename = scriptFilename;
        this.documentRoot = documentRoot;
        this.headers = headers;
        this.body = body;
        this.contentType = contentType;
        this.extraParams = extraParams;
        this.keepConn = keepConn;
        this.paramCharset = paramCharset;
    }

    /**
     * A GET of a script file. The document root defaults to the script's folder and the URI to
     * {@code /} and the script's file name.
     */
    public static FastCgiRequest get(String scriptFilename) {
        Path script = Path.of(scriptFilename).toAbsolutePath().normalize();
        Path root = script.getParent() == null ? script.getRoot() : script.getParent();
        return new FastCgiRequest("GET", "/" + script.getFileName(), script, root, HttpHeaders.empty(),
                RequestBody.empty(), null, Map.of(), true, StandardCharsets.UTF_8);
    }

    /** A POST of form fields, URL-encoded. */
    public static FastCgiRequest post(String scriptFilename, Map<String, String> form) {
        return get(scriptFilename).withForm(form);
    }

    public FastCgiRequest withMethod(String value) {
        return new FastCgiRequest(value, uri, scriptFilename, documentRoot, headers, body, contentType, extraParams,
                keepConn, paramCharset);
    }

    /** The request URI as the client sent it, with its query string: {@code /app.php/x?a=1}. */
    public FastCgiRequest withUri(String value) {
        return new FastCgiRequest(method, value, scriptFilename, documentRoot, headers, body, contentType, extraParams,
                keepConn, paramCharset);
    }

    public FastCgiRequest withScriptFilename(Path value) {
        return new FastCgiRequest(method, uri, value, documentRoot, headers, body, contentType, extraParams, keepConn, paramCharset);
    }

    public FastCgiRequest withDocumentRoot(Path value) {
        return new FastCgiRequest(method, uri, scriptFilename, value, headers, body, contentType, extraParams, keepConn, paramCharset);
    }

    /** Adds a request header, sent as an {@code HTTP_*} param. */
    public FastCgiRequest withHeader(String name, String value) {
        return withHeaders(headers.with(name, value));
    }

    public FastCgiRequest withHeaders(HttpHeaders value) {
        return new FastCgiRequest(method, uri, scriptFilename, documentRoot, value, body, contentType, extraParams,
                keepConn, paramCharset);
    }

    /** A body with its content type; a GET becomes a POST. */
    public FastCgiRequest withBody(String type, RequestBody value) {
        String newMethod = method.equals("GET") ? "POST" : method;
        return new FastCgiRequest(newMethod, uri, scriptFilename, documentRoot, headers, value, type, extraParams,
                keepConn, paramCharset);
    }

    public FastCgiRequest withBody(String type, byte[] value) {
        return withBody(type, RequestBody.of(value));
    }

    /** Form fields as {@code application/x-www-form-urlencoded}; a GET becomes a POST. */
    public FastCgiRequest withForm(Map<String, String> fields) {
        StringJoiner encoded = new StringJoiner("&");
        fields.forEach((name, value) -> encoded.add(
                URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return withBody("application/x-www-form-urlencoded", encoded.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Sets a param, replacing what the request would compute for that name. */
    public FastCgiRequest withParam(String name, String value) {
        Map<String, String> params = new LinkedHashMap<>(extraParams);
        params.put(name, value);
        return withParams(params);
    }

    /** Replaces every explicit param. */
    public FastCgiRequest withParams(Map<String, String> value) {
        return new FastCgiRequest(method, uri, scriptFilename, documentRoot, headers, body, contentType,
                Map.copyOf(value), keepConn, paramCharset);
    }

    /** Whether to ask the application to keep the connection for the next request (default yes). */
    public FastCgiRequest withKeepConn(boolean value) {
        return new FastCgiRequest(method, uri, scriptFilename, documentRoot, headers, body, contentType, extraParams,
                value, paramCharset);
    }

    /**
     * How param strings become bytes (default UTF-8). ISO-8859-1 sends strings whose chars are
     * already bytes, as a servlet container hands header values over, unchanged.
     */
    public FastCgiRequest withParamCharset(Charset value) {
        return new FastCgiRequest(method, uri, scriptFilename, documentRoot, headers, body, contentType, extraParams,
                keepConn, value);
    }

    public Charset paramCharset() {
        return paramCharset;
    }

    public String method() {
        return method;
    }

    public String uri() {
        return uri;
    }

    public RequestBody body() {
        return body;
    }

    public HttpHeaders headers() {
        return headers;
    }

    public boolean keepConn() {
        return keepConn;
    }

    /** The CGI params this request sends, in order. */
    public Map<String, String> params() {
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("GATEWAY_INTERFACE", "CGI/1.1");
        params.put("SERVER_SOFTWARE", "fastcgi-bridge");
        params.put("SERVER_PROTOCOL", "HTTP/1.1");
        params.put("REQUEST_METHOD", method);
        params.put("REQUEST_URI", uri);
        params.put("DOCUMENT_URI", path);
        params.put("SCRIPT_NAME", path);
        params.put("QUERY_STRING", query < 0 ? "" : uri.substring(query + 1));
        params.put("DOCUMENT_ROOT", documentRoot.toString());
        params.put("SCRIPT_FILENAME", scriptFilename.toString());
        params.put("CONTENT_LENGTH", body.length() > 0 || contentType != null ? Long.toString(body.length()) : "");
        params.put("CONTENT_TYPE", contentType == null ? "" : contentType);
        params.put("REDIRECT_STATUS", "200");
        for (HttpHeaders.Field field : headers.fields()) {
            params.merge(HttpHeaders.cgiName(field.name()), field.value(),
                    (earlier, later) -> earlier + (field.name().equalsIgnoreCase("Cookie") ? "; " : ", ") + later);
        }
        params.putAll(extraParams);
        return params;
    }

    @Override
    public String toString() {
        return method + " " + uri + " (" + scriptFilename + ")";
    }
}
