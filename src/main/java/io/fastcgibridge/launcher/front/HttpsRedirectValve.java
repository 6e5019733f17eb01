package io.fastcgibridge.launcher.front;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.IntSupplier;
import org.apache.catalina.Globals;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * {@code --redirect-http}: a request that did not come over TLS (as the connector or a trusted
 * proxy's {@code X-Forwarded-Proto} says) gets a 301 to the same host, path and query on https,
 * as nginx's {@code return 301 https://$host$request_uri;}. Behind a trusted proxy the client's
 * https port is the proxy's, 443; otherwise it is the launcher's own HTTPS port.
 */
public final class HttpsRedirectValve extends ValveBase {

    private static final int STANDARD_PORT = 443;

    private final IntSupplier httpsPort;

    /** @param httpsPort the port HTTPS listens on, read at each request (it may be picked at start) */
    public HttpsRedirectValve(IntSupplier httpsPort) {
        super(true);
        this.httpsPort = httpsPort;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        if (request.isSecure()) {
            getNext().invoke(request, response);
            return;
        }
        boolean proxied = Boolean.TRUE.equals(request.getAttribute(Globals.REQUEST_FORWARDED_ATTRIBUTE));
        int port = proxied || httpsPort.getAsInt() < 0 ? STANDARD_PORT : httpsPort.getAsInt();
        String host = request.getServerName();
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        String query = request.getQueryString();
        String location = "https://" + host + (port == STANDARD_PORT ? "" : ":" + port) + request.getRequestURI()
                + (query == null ? "" : "?" + query);
        response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
        response.setHeader("Location", location);
        response.setContentLength(0);
        response.finishResponse();
    }
}
