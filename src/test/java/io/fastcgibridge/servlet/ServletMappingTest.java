package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fastcgibridge.testing.MappedTomcat;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bridge declared as a servlet under {@code /}, {@code /php/*} and {@code *.php}, with and
 * without a context path, in a real Tomcat: the document root is what lies below the mapping, as
 * with nginx's {@code location /php/ { alias DOCROOT/; }}, for scripts, static files, deny and
 * cache rules, redirects and the front controller; PHP gets the CGI params an application served
 * under that URL expects.
 */
@ExtendWith(PhpFpmExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class ServletMappingTest {

    /** Prints the CGI params that tell an application where it is. */
    private static final String CGI_SCRIPT = """
            <?php
            foreach (['SCRIPT_NAME', 'REQUEST_URI', 'DOCUMENT_URI', 'PATH_INFO', 'PATH_TRANSLATED',
                    'SCRIPT_FILENAME', 'PHP_SELF'] as $name) {
                echo $name, '=', $_SERVER[$name] ?? '(unset)', "\\n";
            }
            """;

    private static final Map<String, String> OPTIONS = Map.of("deny", "/data/",
            "cache-control", "/static/=max-age=60");

    private Path root;

    @BeforeAll
    void writeScripts(PhpFpm fpm) throws IOException {
        root = fpm.documentRoot().toRealPath();
        for (String script : new String[] {"cgi.php", "index.php", "sub/index.php", "data/hidden.php"}) {
            Files.createDirectories(root.resolve(script).getParent());
            Files.writeString(root.resolve(script), CGI_SCRIPT);
        }
    }

    /** Context path, mapping, and the URL of the document root under them. */
    static Stream<Arguments> mappings() {
        return Stream.of(Arguments.of("", "/", ""), Arguments.of("/ctx", "/", "/ctx"),
                Arguments.of("", "/php/*", "/php"), Arguments.of("/ctx", "/php/*", "/ctx/php"),
                Arguments.of("", "*.php", ""), Arguments.of("/ctx", "*.php", "/ctx"));
    }

    /** The same without the extension mapping, which only ever sees paths ending in {@code .php}. */
    static Stream<Arguments> folderMappings() {
        return mappings().filter(arguments -> !arguments.get()[1].equals("*.php"));
    }

    @ParameterizedTest(name = "{1} at ''{0}''")
    @MethodSource("mappings")
    void aScriptBelowTheMappingRunsWithTheUrlItWasAskedBy(String context, String mapping, String base, PhpFpm fpm)
            throws Exception {
        try (MappedTomcat tomcat = MappedTomcat.servlet(fpm, context, OPTIONS, mapping)) {
            Map<String, String> cgi = cgi(tomcat.get(base + "/cgi.php?x=1"));

            assertEquals(base + "/cgi.php", cgi.get("SCRIPT_NAME"));
            assertEquals(base + "/cgi.php?x=1", cgi.get("REQUEST_URI"));
            assertEquals(base + "/cgi.php", cgi.get("DOCUMENT_URI"));
            assertEquals("", cgi.get("PATH_INFO"));
            assertEquals(root.resolve("cgi.php").toString(), cgi.get("SCRIPT_FILENAME"));
            assertEquals(base + "/cgi.php", cgi.get("PHP_SELF"));
        }
    }

    @ParameterizedTest(name = "{1} at ''{0}''")
    @MethodSource("folderMappings")
    void pathInfoFollowsTheScriptInsideTheMapping(String context, String mapping, String base, PhpFpm fpm)
            throws Exception {
        try (MappedTomcat tomcat = MappedTomcat.servlet(fpm, context, OPTIONS, mapping)) {
            Map<String, String> cgi = cgi(tomcat.get(base + "/cgi.php/users/7"));

            assertEquals(base + "/cgi.php", cgi.get("SCRIPT_NAME"));
            assertEquals("/users/7", cgi.get("PATH_INFO"));
            assertEquals(base + "/cgi.php/users/7", cgi.get("DOCUMENT_URI"));
            assertEquals(base + "/cgi.php/users/7", cgi.get("REQUEST_URI"));
            assertEquals(root + "/users/7", cgi.get("PATH_TRANSLATED"));
            assertEquals(base + "/cgi.php/users/7", cgi.get("PHP_SELF"));
        }
    }

    @ParameterizedTest(name = "{1} at ''{0}''")
    @MethodSource("mappings")
    void theFrontControllerAnswersUnderTheMappingAndDenyRulesHoldThere(String context, String mapping, String base,
            PhpFpm fpm) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(OPTIONS);
        options.put("front-controller", "/cgi.php");
        try (MappedTomcat tomcat = MappedTomcat.servlet(fpm, context, options, mapping)) {
            String pretty = mapping.equals("*.php") ? "/no/such.php" : "/products/7";
            Map<String, String> cgi = cgi(tomcat.get(base + pretty + "?page=2"));

            assertEquals(base + "/cgi.php", cgi.get("SCRIPT_NAME"));
            assertEquals(base + pretty + "?page=2", cgi.get("REQUEST_URI"));
            assertEquals(404, tomcat.get(base + "/data/hidden.php").statusCode());
        }
    }

    @ParameterizedTest(name = "{1} at ''{0}''")
    @MethodSource("folderMappings")
    void staticFilesCacheRulesFoldersAndTheirRedirectsAreThoseBelowTheMapping(String context, String mapping,
            String base, PhpFpm fpm) throws Exception {
        try (MappedTomcat tomcat = MappedTomcat.servlet(fpm, context, OPTIONS, mapping)) {
            HttpResponse<String> css = tomcat.get(base + "/static/site.css");
            HttpResponse<String> folder = tomcat.get(base + "/static?v=1");
            Map<String, String> index = cgi(tomcat.get(base + "/sub/"));

            assertEquals(200, css.statusCode());
            assertEquals(Files.readString(root.resolve("static/site.css")), css.body());
            assertEquals("max-age=60", css.headers().firstValue("Cache-Control").orElse(null));
            assertEquals(404, tomcat.get(base + "/data/private.txt").statusCode());
            assertEquals(301, folder.statusCode());
            assertEquals(base + "/static/?v=1", folder.headers().firstValue("Location").orElse(null));
            assertEquals(base + "/sub/index.php", index.get("SCRIPT_NAME"));
            assertEquals(base + "/sub/", index.get("REQUEST_URI"));
        }
    }

    @Test
    void theBarePrefixIsRedirectedToItsFolderWhoseIndexRuns(PhpFpm fpm) throws Exception {
        try (MappedTomcat tomcat = MappedTomcat.servlet(fpm, "/ctx", OPTIONS, "/php/*")) {
            HttpResponse<String> bare = tomcat.get("/ctx/php");
            Map<String, String> index = cgi(tomcat.get("/ctx/php/"));

            assertEquals(301, bare.statusCode());
            assertEquals("/ctx/php/", bare.headers().firstValue("Location").orElse(null));
            assertEquals("/ctx/php/index.php", index.get("SCRIPT_NAME"));
            assertEquals(root.resolve("index.php").toString(), index.get("SCRIPT_FILENAME"));
        }
    }

    /** The {@code NAME=value} lines of the CGI script's answer, which must be a 200. */
    static Map<String, String> cgi(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.uri() + ": " + response.body());
        Map<String, String> params = new LinkedHashMap<>();
        response.body().lines().forEach(line -> {
            int equals = line.indexOf('=');
            if (equals > 0) {
                params.put(line.substring(0, equals), line.substring(equals + 1));
            }
        });
        assertEquals(7, params.size(), response.uri() + " ran something else: " + response.body());
        return params;
    }
}
