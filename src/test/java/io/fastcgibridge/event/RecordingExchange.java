package io.fastcgibridge.event;

import io.fastcgibridge.testing.CollectedOutput;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A hand-written request and a response that records what an observer did to it, as a user's test
 * would have them: no container, no mocking library. Only what observers commonly touch works; the
 * rest returns nothing.
 */
final class RecordingExchange {

    final HttpServletRequest request;
    final HttpServletResponse response;
    int status = 200;
    String contentType;
    final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    RecordingExchange(String method, String uri, Map<String, String> requestHeaders) {
        Map<String, String> asked = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        asked.putAll(requestHeaders);
        request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, called, args) -> switch (called.getName()) {
                    case "getMethod" -> method;
                    case "getRequestURI" -> uri;
                    case "getHeader" -> asked.get((String) args[0]);
                    default -> null;
                });
        ServletOutputStream out = new CollectedOutput(body);
        response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, called, args) -> switch (called.getName()) {
                    case "setStatus" -> {
                        status = (Integer) args[0];
                        yield null;
                    }
                    case "setContentType" -> {
                        contentType = (String) args[0];
                        yield null;
                    }
                    case "setHeader" -> {
                        headers.put((String) args[0], (String) args[1]);
                        yield null;
                    }
                    case "getOutputStream" -> out;
                    case "getStatus" -> status;
                    default -> null;
                });
    }

    String body() {
        return body.toString(StandardCharsets.UTF_8);
    }
}
