package io.fastcgibridge.bench;

import io.fastcgibridge.protocol.FastCgi;
import io.fastcgibridge.protocol.NameValuePairs;
import io.fastcgibridge.protocol.ProtocolStatus;
import io.fastcgibridge.protocol.RecordEncoder;
import io.fastcgibridge.protocol.RecordType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The inputs the benchmarks share, and the FastCGI bytes one operation of each benchmark handles
 * (what {@link MbPerSecond} multiplies ops/s by).
 */
public final class Payloads {

    /** The request id every record carries. */
    public static final int REQUEST_ID = 1;

    /** STDOUT content of the bulk benchmarks: one operation encodes or decodes exactly this much. */
    public static final int STDOUT_CONTENT = 1 << 20;

    /** The size of the client's read buffer's reads ({@code Connection.IN_BUFFER} is 64 KiB + 512). */
    public static final int LARGE_READ = 64 * 1024;

    /** A read of one small TCP segment (an Ethernet MTU's worth). */
    public static final int SMALL_READ = 1500;

    /** The client's send buffer ({@code Connection.OUT_BUFFER}), which PARAMS records are written into. */
    public static final int CLIENT_OUT_BUFFER = 64 * 1024 + 512;

    /** The encoded params of one request may not be larger than this (the bridge's default max-params). */
    public static final int MAX_PARAMS = 1 << 20;

    /** The body of {@link #smallResponse()}: 12 bytes. */
    public static final String SMALL_BODY = "Hello world!";

    /** The headers PHP-FPM puts before the body of a plain {@code echo} script. */
    public static final String SMALL_HEADERS =
            "X-Powered-By: PHP/8.2.29\r\nContent-type: text/html; charset=UTF-8\r\n\r\n";

    private Payloads() {
    }

    /** 1 MiB of response-like content (HTML text, not all zeros), fresh, position 0. */
    public static ByteBuffer stdoutContent() {
        byte[] line = "<li class=\"item\"><a href=\"/catalog/item?id=000000\">Item 000000</a></li>\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] content = new byte[STDOUT_CONTENT];
        for (int i = 0; i < content.length; i++) {
            content[i] = line[i % line.length];
        }
        return ByteBuffer.wrap(content);
    }

    /** The wire bytes of {@link #stdoutContent()} as 65,535-byte STDOUT records, padded, and the empty record ending the stream. */
    public static int stdoutStreamLength() {
        int full = STDOUT_CONTENT / FastCgi.MAX_CONTENT_LENGTH;
        int rest = STDOUT_CONTENT % FastCgi.MAX_CONTENT_LENGTH;
        return full * RecordEncoder.recordLength(FastCgi.MAX_CONTENT_LENGTH)
                + (rest > 0 ? RecordEncoder.recordLength(rest) : 0)
                + FastCgi.HEADER_LENGTH;
    }

    /**
     * Writes {@code content} as STDOUT records of up to 65,535 bytes each (with padding) and the
     * empty record that ends the stream; this is the operation of the encoder's bulk benchmark.
     */
    public static void encodeStdout(ByteBuffer out, ByteBuffer content) {
        while (content.hasRemaining()) {
            if (RecordEncoder.stream(out, RecordType.STDOUT, REQUEST_ID, content) < 0) {
                throw new IllegalStateException("output buffer too small");
            }
        }
        RecordEncoder.endOfStream(out, RecordType.STDOUT, REQUEST_ID);
    }

    /** The encoded STDOUT stream the decoder benchmarks read, {@link #stdoutStreamLength()} bytes, flipped. */
    public static ByteBuffer stdoutStream() {
        ByteBuffer out = ByteBuffer.allocate(stdoutStreamLength());
        encodeStdout(out, stdoutContent());
        if (out.hasRemaining()) {
            throw new IllegalStateException("stream length miscounted: " + out.remaining() + " bytes left");
        }
        return out.flip();
    }

    /**
     * The params of a typical PHP request, 26 of them: the 20 that the bridge's {@code CgiEnvironment}
     * always sends for a GET to a front controller (no PATH_INFO, so no PATH_TRANSLATED; plain HTTP,
     * so no HTTPS) and the six headers of a browser's page load as {@code HTTP_*}.
     */
    public static Map<String, String> typicalParams() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("GATEWAY_INTERFACE", "CGI/1.1");
        params.put("SERVER_SOFTWARE", "fastcgi-bridge");
        params.put("SERVER_PROTOCOL", "HTTP/1.1");
        params.put("SERVER_NAME", "shop.example.com");
        params.put("SERVER_ADDR", "127.0.0.1");
        params.put("SERVER_PORT", "8080");
        params.put("REMOTE_ADDR", "127.0.0.1");
        params.put("REMOTE_PORT", "53422");
        params.put("REQUEST_METHOD", "GET");
        params.put("REQUEST_SCHEME", "http");
        params.put("REQUEST_URI", "/catalog/item?id=1234&utm_source=newsletter&utm_medium=email");
        params.put("DOCUMENT_URI", "/index.php");
        params.put("DOCUMENT_ROOT", "/srv/www/shop/public");
        params.put("SCRIPT_FILENAME", "/srv/www/shop/public/index.php");
        params.put("SCRIPT_NAME", "/index.php");
        params.put("PATH_INFO", "");
        params.put("QUERY_STRING", "id=1234&utm_source=newsletter&utm_medium=email");
        params.put("CONTENT_TYPE", "");
        params.put("CONTENT_LENGTH", "");
        params.put("REDIRECT_STATUS", "200");
        params.put("HTTP_HOST", "shop.example.com:8080");
        params.put("HTTP_USER_AGENT", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/124.0.0.0 Safari/537.36");
        params.put("HTTP_ACCEPT", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
                + "*/*;q=0.8");
        params.put("HTTP_ACCEPT_ENCODING", "gzip, deflate, br");
        params.put("HTTP_ACCEPT_LANGUAGE", "en-US,en;q=0.9,de;q=0.8");
        params.put("HTTP_COOKIE", "PHPSESSID=9k3j2h1g0f9e8d7c6b5a4z3y2x; cart=3; theme=dark");
        return params;
    }

    /**
     * Encodes {@code params} as the client does (name-value pairs in ISO-8859-1, the bridge's byte
     * strings) and writes them as PARAMS records and the empty record ending the stream; this is the
     * operation of the encoder's params benchmark.
     */
    public static void encodeParams(ByteBuffer out, Map<String, String> params) {
        ByteBuffer content = ByteBuffer.wrap(NameValuePairs.encode(params, StandardCharsets.ISO_8859_1, MAX_PARAMS));
        while (content.hasRemaining()) {
            if (RecordEncoder.stream(out, RecordType.PARAMS, REQUEST_ID, content) < 0) {
                throw new IllegalStateException("output buffer too small");
            }
        }
        RecordEncoder.endOfStream(out, RecordType.PARAMS, REQUEST_ID);
    }

    /** The wire bytes {@link #encodeParams} writes for {@link #typicalParams()}. */
    public static int paramsStreamLength() {
        ByteBuffer out = ByteBuffer.allocate(CLIENT_OUT_BUFFER);
        encodeParams(out, typicalParams());
        return out.position();
    }

    /** The encoded name-value pairs of {@link #typicalParams()}, without record headers. */
    public static int paramsContentLength() {
        return NameValuePairs.encode(typicalParams(), StandardCharsets.ISO_8859_1, MAX_PARAMS).length;
    }

    /**
     * What PHP-FPM sends for a small page: one STDOUT record with the headers and a 12-byte body, the
     * empty STDOUT record, END_REQUEST (status 0, REQUEST_COMPLETE); flipped.
     */
    public static ByteBuffer smallResponse() {
        ByteBuffer content = ByteBuffer.wrap((SMALL_HEADERS + SMALL_BODY).getBytes(StandardCharsets.US_ASCII));
        ByteBuffer out = ByteBuffer.allocate(256);
        RecordEncoder.stream(out, RecordType.STDOUT, REQUEST_ID, content);
        RecordEncoder.endOfStream(out, RecordType.STDOUT, REQUEST_ID);
        RecordEncoder.endRequest(out, REQUEST_ID, 0, ProtocolStatus.REQUEST_COMPLETE);
        return out.flip();
    }

    /** The STDOUT content bytes of {@link #smallResponse()}. */
    public static int smallResponseContentLength() {
        return (SMALL_HEADERS + SMALL_BODY).length();
    }
}
