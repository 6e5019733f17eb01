package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import io.fastcgibridge.testing.ServeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Debian's {@code dokuwiki} package served where Debian installs it, through the launcher jar with
 * the default {@code --symlinks owner}: its template lives behind {@code lib/tpl ->
 * /var/lib/dokuwiki/lib/tpl}. Nothing is installed here: {@code deploy/test.sh} installs the package.
 */
@ExtendWith(PhpFpmExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class DebianDokuWikiIT {

    private static final Path JAR = Path.of(System.getProperty("launcher.jar", "target/fastcgi-bridge.jar"));
    private static final Path DOKUWIKI = Path.of("/usr/share/dokuwiki");
    private static final Path IMAGES = Path.of("/var/lib/dokuwiki/lib/tpl/dokuwiki/images");
    /** What DokuWiki's own .htaccess files deny (bin, conf, data, inc, vendor, and the top-level notes). */
    private static final List<String> DENY = List.of("/bin/", "/conf/", "/data/", "/inc/", "/vendor/",
            "~^/(README|VERSION|COPYING)$");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ServeProcess serve;

    @BeforeAll
    void serveDokuWiki(PhpFpm fpm) throws Exception {
        assertTrue(Files.isRegularFile(DOKUWIKI.resolve("doku.php")), "Debian's dokuwiki package is not installed:"
                + " deploy/test.sh installs it (apt-get install --no-install-recommends dokuwiki)");
        List<String> args = new ArrayList<>(List.of("--docroot", DOKUWIKI.toString(), "--fpm", fpm.unixAddress(),
                "--port", "0", "--index", "doku.php"));
        DENY.forEach(rule -> args.addAll(List.of("--deny", rule)));
        serve = ServeProcess.start(JAR, List.of(), args);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (serve != null) {
            serve.stop();
        }
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(serve.base() + path)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theTemplateLogoAndBadgesAreServedThroughTheTemplateLink() throws Exception {
        Map<String, String> images = Map.of("logo.png", "image/png", "button-dw.png", "image/png",
                "button-php.gif", "image/gif", "button-html5.png", "image/png", "button-css.png", "image/png",
                "button-rss.png", "image/png", "button-donate.gif", "image/gif", "button-debian.png", "image/png");
        for (Map.Entry<String, String> image : images.entrySet()) {
            HttpResponse<byte[]> response = get("/lib/tpl/dokuwiki/images/" + image.getKey());

            assertEquals(200, response.statusCode(), image.getKey() + "\n" + String.join("\n", serve.output()));
            assertEquals(image.getValue(), response.headers().firstValue("Content-Type").orElse(""), image.getKey());
            assertArrayEquals(Files.readAllBytes(IMAGES.resolve(image.getKey())), response.body(), image.getKey());
        }
    }

    @Test
    void dokuPhpRendersAPageWithItsTemplate() throws Exception {
        HttpResponse<byte[]> page = get("/doku.php?id=wiki:dokuwiki");
        String html = new String(page.body(), java.nio.charset.StandardCharsets.UTF_8);

        assertEquals(200, page.statusCode(), html);
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(html.contains("lib/tpl/dokuwiki/images/logo.png"), html);
        assertTrue(html.contains("Debian DokuWiki"), html);
        // The directory index is doku.php: the start page, missing on a fresh wiki, still renders in the template.
        String start = new String(get("/").body(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(start.contains("lib/tpl/dokuwiki/images/logo.png"), start);
    }

    @Test
    void whatDokuWikisHtaccessFilesDenyIsNotFound() throws Exception {
        for (String path : List.of("/bin/dwpage.php", "/inc/init.php", "/vendor/autoload.php", "/VERSION",
                "/.htaccess", "/conf/local.php", "/data/pages/wiki/syntax.txt")) {
            assertEquals(404, get(path).statusCode(), path);
        }
    }
}
