package io.fastcgibridge.servlet;

import static io.fastcgibridge.servlet.ServletMappingTest.cgi;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fastcgibridge.testing.MappedTomcat;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A folder ({@code /sub/}) runs the bridge's {@code index} in a context that has Tomcat's default
 * welcome files ({@code index.html}, {@code index.htm}, {@code index.jsp}): Tomcat picks one of its
 * own and hands the bridge {@code /sub/index.jsp} (mapped through {@code *.jsp}), or
 * {@code /sub/index.html} when that file exists; the bridge takes the folder back and its
 * {@code index} decides, as nginx's {@code index index.php} would. Both with the automatic
 * registration and with a servlet declared at {@code /}.
 */
@ExtendWith(PhpFpmExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class WelcomeFilesTest {

    private static final String CGI_SCRIPT = """
            <?php
            foreach (['SCRIPT_NAME', 'REQUEST_URI', 'DOCUMENT_URI', 'PATH_INFO', 'PATH_TRANSLATED',
                    'SCRIPT_FILENAME', 'PHP_SELF'] as $name) {
                echo $name, '=', $_SERVER[$name] ?? '(unset)', "\\n";
            }
            """;

    @BeforeAll
    void writeScripts(PhpFpm fpm) throws IOException {
        Path root = fpm.documentRoot();
        for (String script : new String[] {"front.php", "index.php", "sub/index.php", "both/index.php"}) {
            Files.createDirectories(root.resolve(script).getParent());
            Files.writeString(root.resolve(script), CGI_SCRIPT);
        }
        Files.writeString(root.resolve("both/index.html"), "<p>the container's welcome file</p>");
    }

    @ParameterizedTest(name = "context ''{0}''")
    @ValueSource(strings = {"", "/ctx"})
    void withTheAutomaticRegistrationAFolderRunsItsIndexScript(String context, PhpFpm fpm) throws Exception {
        try (MappedTomcat tomcat = MappedTomcat.automatic(fpm, context,
                Map.of("fastcgi.front-controller", "/front.php"))) {
            assertEquals(context + "/sub/index.php", cgi(tomcat.get(context + "/sub/")).get("SCRIPT_NAME"));
            assertEquals(context + "/both/index.php", cgi(tomcat.get(context + "/both/")).get("SCRIPT_NAME"));
            assertEquals(context + "/index.php", cgi(tomcat.get(context + "/")).get("SCRIPT_NAME"));
            assertEquals(context + "/front.php", cgi(tomcat.get(context + "/pretty/url")).get("SCRIPT_NAME"));
        }
    }

    @ParameterizedTest(name = "context ''{0}''")
    @ValueSource(strings = {"", "/ctx"})
    void withADeclaredServletAFolderRunsItsIndexScript(String context, PhpFpm fpm) throws Exception {
        try (MappedTomcat tomcat = MappedTomcat.servletOverDefaults(fpm, context,
                Map.of("front-controller", "/front.php"), "/", "*.jsp")) {
            assertEquals(context + "/sub/index.php", cgi(tomcat.get(context + "/sub/")).get("SCRIPT_NAME"));
            assertEquals(context + "/both/index.php", cgi(tomcat.get(context + "/both/")).get("SCRIPT_NAME"));
            assertEquals("/sub/", cgi(tomcat.get(context + "/sub/")).get("REQUEST_URI").substring(context.length()));
        }
    }
}
