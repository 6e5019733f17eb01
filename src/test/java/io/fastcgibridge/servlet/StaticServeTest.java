package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.CollectedOutput;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StaticFiles} on hand-made servlet objects, for what a client cannot see: whether the body
 * goes through the container's sendfile, and the {@code Cache-Control} rules (whose option the
 * bridge does not read yet); plus the header parsing helpers.
 */
class StaticServeTest {

    @TempDir
    Path root;
    private Path big;
    private Path small;

    @BeforeEach
    void files() throws Exception {
        big = root.resolve("big.bin");
        Files.write(big, new byte[100 * 1024]);
        small = root.resolve("app.css");
        Files.writeString(small, "body{}");
    }

    @Test
    void aLargeBodyGoesThroughSendfileWhenTheContainerOffersIt() throws Exception {
        Exchange exchange = new Exchange("GET", "/big.bin").sendfile();

        staticFiles(List.of()).serve(exchange.request(), exchange.response(), big);

        assertEquals(200, exchange.status);
        assertEquals(big.toAbsolutePath().toString(), exchange.attributes.get(StaticFiles.SENDFILE_FILENAME));
        assertEquals(0L, exchange.attributes.get(StaticFiles.SENDFILE_START));
        assertEquals(100L * 1024, exchange.attributes.get(StaticFiles.SENDFILE_END));
        assertEquals(100L * 1024, exchange.contentLength);
        assertEquals(0, exchange.body.size(), "the body is the container's to send");
    }

    @Test
    void aLargeRangeGoesThroughSendfileWithAnExclusiveEnd() throws Exception {
        Exchange exchange = new Exchange("GET", "/big.bin").sendfile().header("Range", "bytes=1000-60999");

        staticFiles(List.of()).serve(exchange.request(), exchange.response(), big);

        assertEquals(206, exchange.status);
        assertEquals(1000L, exchange.attributes.get(StaticFiles.SENDFILE_START));
        assertEquals(61000L, exchange.attributes.get(StaticFiles.SENDFILE_END));
        assertEquals(60000L, exchange.contentLength);
    }

    @Test
    void smallBodiesAndContainersWithoutSendfileAreCopied() throws Exception {
        Exchange smallRange = new Exchange("GET", "/big.bin").sendfile().header("Range", "bytes=0-99");
        staticFiles(List.of()).serve(smallRange.request(), smallRange.response(), big);
        assertNull(smallRange.attributes.get(StaticFiles.SENDFILE_FILENAME));
        assertEquals(100, smallRange.body.size());

        Exchange plain = new Exchange("GET", "/big.bin");
        staticFiles(List.of()).serve(plain.request(), plain.response(), big);
        assertNull(plain.attributes.get(StaticFiles.SENDFILE_FILENAME));
        assertEquals(100 * 1024, plain.body.size());

        Exchange head = new Exchange("HEAD", "/big.bin").sendfile();
        staticFiles(List.of()).serve(head.request(), head.response(), big);
        assertNull(head.attributes.get(StaticFiles.SENDFILE_FILENAME));
        assertEquals(0, head.body.size());
        assertEquals(100L * 1024, head.contentLength);
    }

    @Test
    void theFirstMatchingCacheRuleSetsCacheControlOn200And304() throws Exception {
        StaticFiles files = staticFiles(CacheRule.parseAll(List.of("/vendor/=no-store",
                "~\\.(css|js)$=public, max-age=31536000", "/=no-cache")));

        Exchange css = new Exchange("GET", "/assets//app.css");
        files.serve(css.request(), css.response(), small);
        assertEquals("public, max-age=31536000", css.headers.get("Cache-Control"));
        assertEquals("text/css;charset=utf-8", css.contentType);

        Exchange revalidated = new Exchange("GET", "/assets/app.css").header("If-None-Match", css.headers.get("ETag"));
        files.serve(revalidated.request(), revalidated.response(), small);
        assertEquals(304, revalidated.status);
        assertEquals("public, max-age=31536000", revalidated.headers.get("Cache-Control"));

        Exchange vendor = new Exchange("GET", "/vendor/app.css");
        files.serve(vendor.request(), vendor.response(), small);
        assertEquals("no-store", vendor.headers.get("Cache-Control"));

        Exchange other = new Exchange("GET", "/big.bin");
        files.serve(other.request(), other.response(), big);
        assertEquals("no-cache", other.headers.get("Cache-Control"));

        Exchange unsatisfiable = new Exchange("GET", "/assets/app.css").header("Range", "bytes=100-");
        files.serve(unsatisfiable.request(), unsatisfiable.response(), small);
        assertEquals(416, unsatisfiable.status);
        assertNull(unsatisfiable.headers.get("Cache-Control"), "an error is not to be cached for a year");
    }

    @Test
    void withoutRulesThereIsNoCacheControl() throws Exception {
        Exchange exchange = new Exchange("GET", "/app.css");

        new StaticFiles(context()).serve(exchange.request(), exchange.response(), small);

        assertEquals(200, exchange.status);
        assertNull(exchange.headers.get("Cache-Control"));
    }

    @Test
    void entityTagListsAreSplitOutsideQuotesOnly() {
        assertEquals(List.of("\"a\"", "W/\"b,c\"", "*"), StaticConditions.entityTags(" \"a\" ,W/\"b,c\",*"));
        assertEquals(List.of("\"a\""), StaticConditions.entityTags("\"a\", garbage, \"b\""));
        assertEquals(List.of(), StaticConditions.entityTags("\"unterminated"));
    }

    @Test
    void acceptEncodingQualities() {
        assertEquals(1, StaticRepresentation.quality("gzip, br", "br"));
        assertEquals(0.5, StaticRepresentation.quality("br;q=0.5", "br"));
        assertEquals(0, StaticRepresentation.quality("br;q=0", "br"));
        assertEquals(0.3, StaticRepresentation.quality("*;q=0.3, gzip", "br"));
        assertEquals(0, StaticRepresentation.quality("*, br;q=0", "br"), "its own entry beats *");
        assertEquals(1, StaticRepresentation.quality("x-gzip", "gzip"));
        assertEquals(1, StaticRepresentation.quality("GZIP ; Q=1.0", "gzip"));
        assertEquals(0, StaticRepresentation.quality("gzip;q=2", "gzip"));
        assertEquals(0, StaticRepresentation.quality("", "gzip"));
        assertEquals(0, StaticRepresentation.quality(null, "gzip"));
    }

    @Test
    void aDateInIfModifiedSinceIsComparedToTheSecond() {
        long modified = 1_700_000_000_500L;
        String sameSecond = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(1_700_000_000L), java.time.ZoneOffset.UTC));
        Exchange exchange = new Exchange("GET", "/x").header("If-Modified-Since", sameSecond);

        assertEquals(StaticConditions.Outcome.NOT_MODIFIED,
                new StaticConditions("\"x\"", modified).evaluate(exchange.request()));
    }

    private StaticFiles staticFiles(List<CacheRule> rules) {
        return new StaticFiles(context(), rules);
    }

    private static ServletContext context() {
        Map<String, String> types = Map.of("css", "text/css", "bin", "application/octet-stream");
        return (ServletContext) Proxy.newProxyInstance(StaticServeTest.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getMimeType")) {
                        String name = (String) args[0];
                        return types.get(name.substring(name.lastIndexOf('.') + 1));
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** One request and its response, as plain fields behind servlet interfaces. */
    private static final class Exchange {
        final String method;
        final String path;
        final Map<String, String> requestHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final Map<String, Object> attributes = new HashMap<>();
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        int status = 200;
        long contentLength = -1;
        String contentType;

        Exchange(String method, String path) {
            this.method = method;
            this.path = path;
        }

        Exchange sendfile() {
            attributes.put(StaticFiles.SENDFILE_SUPPORT, Boolean.TRUE);
            return this;
        }

        Exchange header(String name, String value) {
            requestHeaders.put(name, value);
            return this;
        }

        HttpServletRequest request() {
            return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class}, (proxy, call, args) -> switch (call.getName()) {
                        case "getMethod" -> method;
                        case "getServletPath", "getRequestURI" -> path;
                        case "getPathInfo", "getHttpServletMapping" -> null;
                        case "getHeader" -> requestHeaders.get((String) args[0]);
                        case "getDateHeader" -> {
                            String value = requestHeaders.get((String) args[0]);
                            if (value == null) {
                                yield -1L;
                            }
                            try {
                                yield ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                                        .toInstant().toEpochMilli();
                            } catch (java.time.format.DateTimeParseException e) {
                                throw new IllegalArgumentException(value);
                            }
                        }
                        case "getAttribute" -> attributes.get((String) args[0]);
                        case "setAttribute" -> {
                            attributes.put((String) args[0], args[1]);
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(call.getName());
                    });
        }

        HttpServletResponse response() {
            ServletOutputStream out = new CollectedOutput(body);
            return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (proxy, call, args) -> {
                        switch (call.getName()) {
                            case "setStatus" -> status = (Integer) args[0];
                            case "setHeader", "addHeader" -> headers.put((String) args[0], (String) args[1]);
                            case "setDateHeader" -> headers.put((String) args[0], String.valueOf(args[1]));
                            case "setContentType" -> contentType = (String) args[0];
                            case "setContentLength" -> contentLength = (Integer) args[0];
                            case "setContentLengthLong" -> contentLength = (Long) args[0];
                            case "resetBuffer" -> body.reset();
                            case "getOutputStream" -> {
                                return out;
                            }
                            case "getContentType" -> {
                                return contentType;
                            }
                            case "containsHeader" -> {
                                return headers.containsKey((String) args[0]);
                            }
                            default -> throw new UnsupportedOperationException(call.getName());
                        }
                        return null;
                    });
        }
    }

    static {
        assertTrue(StaticFiles.SENDFILE_THRESHOLD <= 64 * 1024, "the large file of these tests must reach it");
    }
}
