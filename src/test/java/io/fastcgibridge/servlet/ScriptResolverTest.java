package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How request paths map to scripts, static files, redirects and refusals, on a document root built
 * here: what runs, what is served, and what never is.
 */
class ScriptResolverTest {

    private static final int OTHER_UID = 4242;

    @TempDir
    Path temp;

    private Path root;
    private Path outside;

    @BeforeEach
    void buildDocumentRoot() throws IOException {
        root = Files.createDirectories(temp.resolve("docroot")).toRealPath();
        outside = Files.createDirectories(temp.resolve("outside")).toRealPath();
        write("a.php", "<?php echo 'a';");
        write("index.php", "<?php echo 'index';");
        write("sub/index.php", "<?php echo 'sub index';");
        write("sub/page.php", "<?php echo 'page';");
        write("nosub/readme.txt", "no index here");
        write("style.css", "body{}");
        write("uploads/evil.jpg", "<?php echo 'EXECUTED-EVIL';");
        write(".env", "DB_PASSWORD=hunter2");
        write(".git/config", "[core]");
        write(".well-known/x.txt", "challenge");
        write("private/x.txt", "private");
        write("notes/draft.bak", "draft");
        write("A.PHP", "<?php echo 'upper';");
        write("b.Php", "<?php echo 'mixed';");
        write("c.php.", "<?php echo 'trailing dot';");
        write("d.php ", "<?php echo 'trailing space';");
        write("e.\uFF50\uFF48\uFF50", "<?php echo 'fullwidth';");
        write("x.php.bak", "<?php echo 'backup';");
        write("WEB-INF/web.xml", "<web-app/>");
        write("META-INF/app.php", "<?php echo 'meta';");
        Files.writeString(outside.resolve("secret.txt"), "outside secret");
        Files.writeString(outside.resolve("evil.php"), "<?php echo 'outside';");
        // Outside the root is another user's: a link to it is one an application user planted.
        for (Path file : List.of(outside, outside.resolve("secret.txt"), outside.resolve("evil.php"))) {
            Files.setAttribute(file, "unix:uid", OTHER_UID);
        }
    }

    private void write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** A resolver for the temp root with fpm 127.0.0.1:9000 and the given extra options. */
    private ScriptResolver resolver(String... keyValues) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        values.put("docroot", List.of(root.toString()));
        values.put("fpm", List.of("127.0.0.1:9000"));
        for (int i = 0; i < keyValues.length; i += 2) {
            values.computeIfAbsent(keyValues[i], key -> new ArrayList<>()).add(keyValues[i + 1]);
        }
        return new ScriptResolver(BridgeConfig.from(option -> values.getOrDefault(option.key(), List.of())));
    }

    private Resolution.Script script(String file, String scriptName, String pathInfo) throws IOException {
        return new Resolution.Script(root.resolve(file).toRealPath(), scriptName, pathInfo);
    }

    private Resolution.StaticFile staticFile(String file) throws IOException {
        return new Resolution.StaticFile(root.resolve(file).toRealPath());
    }

    // --- what runs ---

    @Test
    void aWebApplicationsPrivateFoldersAreNeitherServedNorRun() {
        ScriptResolver resolver = resolver("front-controller", "/index.php");

        for (String path : List.of("/WEB-INF/web.xml", "/web-inf/web.xml", "/META-INF/app.php", "/META-INF/")) {
            assertEquals(new Resolution.NotFound(), resolver.resolve(path), path);
        }
    }

    @Test
    void aScriptRunsWithWhatFollowsItAsPathInfo() throws IOException {
        ScriptResolver resolver = resolver();

        assertEquals(script("a.php", "/a.php", "/x/y"), resolver.resolve("/a.php/x/y"));
        assertEquals(script("a.php", "/a.php", ""), resolver.resolve("/a.php"));
        assertEquals(script("a.php", "/a.php", "/"), resolver.resolve("/a.php/"));
        assertEquals(script("sub/page.php", "/sub/page.php", "/more"), resolver.resolve("/sub/page.php/more"));
    }

    @Test
    void aDirectoryRunsItsIndex() throws IOException {
        ScriptResolver resolver = resolver();

        assertEquals(script("index.php", "/index.php", ""), resolver.resolve("/"));
        assertEquals(script("index.php", "/index.php", ""), resolver.resolve(""));
        assertEquals(script("sub/index.php", "/sub/index.php", ""), resolver.resolve("/sub/"));
    }

    @Test
    void aDirectoryWithoutItsSlashIsRedirected() {
        ScriptResolver resolver = resolver();

        assertEquals(new Resolution.Redirect("/sub/"), resolver.resolve("/sub"));
        assertEquals(new Resolution.Redirect("/nosub/"), resolver.resolve("/nosub"));
    }

    @Test
    void aDirectoryWithoutIndexIsNeverListed() {
        assertEquals(new Resolution.NotFound(), resolver().resolve("/nosub/"));
    }

    @Test
    void theFrontControllerTakesUnknownPathsButNotExistingFiles() throws IOException {
        ScriptResolver resolver = resolver("front-controller", "/index.php");

        assertEquals(script("index.php", "/index.php", ""), resolver.resolve("/no/such/page"));
        assertEquals(script("index.php", "/index.php", ""), resolver.resolve("/missing.php"));
        assertEquals(script("index.php", "/index.php", ""), resolver.resolve("/missing.php/x"));
        assertEquals(script("index.php", "/index.php", ""), resolver.resolve("/nosub/"));
        assertEquals(staticFile("style.css"), resolver.resolve("/style.css"));
        assertEquals(staticFile("nosub/readme.txt"), resolver.resolve("/nosub/readme.txt"));
        assertEquals(script("a.php", "/a.php", "/x"), resolver.resolve("/a.php/x"));
    }

    // --- what is served ---

    @Test
    void aStaticFileIsServed() throws IOException {
        ScriptResolver resolver = resolver();

        assertEquals(staticFile("style.css"), resolver.resolve("/style.css"));
        assertEquals(staticFile("nosub/readme.txt"), resolver.resolve("/nosub/readme.txt"));
    }

    @Test
    void withoutFrontControllerAnUnknownPathIsNotFound() {
        ScriptResolver resolver = resolver();

        assertEquals(new Resolution.NotFound(), resolver.resolve("/nothing"));
        assertEquals(new Resolution.NotFound(), resolver.resolve("/missing.php"));
        assertEquals(new Resolution.NotFound(), resolver.resolve("/missing.php/x"));
        assertEquals(new Resolution.NotFound(), resolver.resolve("/sub/nothing.txt"));
    }

    // --- what never runs or is served ---

    @Test
    void anUploadedFileNeverRunsThroughAFakeScriptSuffix() throws IOException {
        assertEquals(new Resolution.NotFound(), resolver().resolve("/uploads/evil.jpg/x.php"));
        assertEquals(new Resolution.NotFound(), resolver().resolve("/uploads/evil.jpg/x.php/more"));

        Resolution withFrontController = resolver("front-controller", "/index.php").resolve("/uploads/evil.jpg/x.php");
        assertEquals(script("index.php", "/index.php", ""), withFrontController);
        assertNeverRuns(withFrontController, root.resolve("uploads/evil.jpg"));
    }

    @Test
    void anUploadedImageIsOnlyEverStatic() throws IOException {
        assertEquals(staticFile("uploads/evil.jpg"), resolver().resolve("/uploads/evil.jpg"));
    }

    @Test
    void aSymlinkToAnotherUsersFileOutsideTheRootIsNotFound() throws IOException {
        Files.createSymbolicLink(root.resolve("link.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("linkdir"), outside);

        assertEquals(new Resolution.NotFound(), resolver().resolve("/link.txt"));
        assertEquals(new Resolution.NotFound(), resolver().resolve("/linkdir/secret.txt"));
        assertEquals(new Resolution.NotFound(), resolver().resolve("/linkdir/"));
    }

    @Test
    void aSymlinkToAnotherUsersScriptOutsideTheRootNeverRunsIt() throws IOException {
        Files.createSymbolicLink(root.resolve("link.php"), outside.resolve("evil.php"));
        Files.createSymbolicLink(root.resolve("linkdir"), outside);
        Path evil = outside.resolve("evil.php");

        for (ScriptResolver resolver : List.of(resolver(), resolver("front-controller", "/index.php"))) {
            for (String path : List.of("/link.php", "/link.php/x", "/linkdir/evil.php", "/linkdir/evil.php/x")) {
                Resolution resolution = resolver.resolve(path);
                assertNeverRuns(resolution, evil);
                assertFalse(resolution instanceof Resolution.StaticFile, path + " -> " + resolution);
            }
        }
        assertEquals(new Resolution.NotFound(), resolver().resolve("/link.php"));
    }

    @Test
    void aSymlinkWithinTheRootRunsTheScriptByItsOwnNameAndServesTheFileItPointsTo() throws IOException {
        Files.createSymbolicLink(root.resolve("alias.php"), root.resolve("sub/page.php"));
        Files.createSymbolicLink(root.resolve("assets"), root.resolve("nosub"));

        assertEquals(new Resolution.Script(root.resolve("alias.php"), "/alias.php", "/x"),
                resolver().resolve("/alias.php/x"));
        assertEquals(new Resolution.StaticFile(root.resolve("nosub/readme.txt").toRealPath()),
                resolver().resolve("/assets/readme.txt"));
    }

    @Test
    void aFrontControllerThatIsASymlinkToAnotherUsersScriptIsNeverRun() throws IOException {
        Files.createSymbolicLink(root.resolve("front.php"), outside.resolve("evil.php"));

        Resolution resolution = resolver("front-controller", "/front.php").resolve("/no/such/page");

        assertEquals(new Resolution.NotFound(), resolution);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../outside/secret.txt", "/sub/../a.php", "/sub/../../outside/evil.php", "/./a.php",
            "/sub/./page.php", "/..", "/sub/.."})
    void dotSegmentsAreNotFound(String path) {
        assertEquals(new Resolution.NotFound(), resolver().resolve(path));
        assertEquals(new Resolution.NotFound(), resolver("front-controller", "/index.php").resolve(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a.php\0", "/a.php\0.jpg", "/a.php\n", "/a.php/\n/x", "/style.css\r", "/\r\n/a.php",
            "/uploads/evil.jpg\0.php"})
    void controlCharactersAreABadRequest(String path) {
        assertInstanceOf(Resolution.BadRequest.class, resolver().resolve(path));
        assertInstanceOf(Resolution.BadRequest.class, resolver("front-controller", "/index.php").resolve(path));
    }

    @Test
    void hiddenSegmentsAreNotFoundExceptWellKnown() throws IOException {
        ScriptResolver resolver = resolver("front-controller", "/index.php");

        assertEquals(new Resolution.NotFound(), resolver.resolve("/.git/config"));
        assertEquals(new Resolution.NotFound(), resolver.resolve("/.git/"));
        assertEquals(new Resolution.NotFound(), resolver.resolve("/.env"));
        assertEquals(new Resolution.NotFound(), resolver.resolve("/a.php/.env"));
        assertEquals(staticFile(".well-known/x.txt"), resolver.resolve("/.well-known/x.txt"));
        assertEquals(staticFile(".well-known/x.txt"), resolver().resolve("/.well-known/x.txt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/A.PHP", "/b.Php", "/c.php.", "/d.php ", "/e.\uFF50\uFF48\uFF50", "/x.php.bak"})
    void scriptLookalikesNeitherRunNorAreServed(String path) {
        for (ScriptResolver resolver : List.of(resolver(), resolver("front-controller", "/index.php"))) {
            Resolution resolution = resolver.resolve(path);
            assertFalse(resolution instanceof Resolution.StaticFile, path + " -> " + resolution);
            if (resolution instanceof Resolution.Script script) {
                assertEquals("/index.php", script.scriptName(), path + " ran " + script);
            }
        }
        assertEquals(new Resolution.NotFound(), resolver().resolve(path));
    }

    @Test
    void looksLikeScriptCatchesOtherCasesTrailingDotsAndCompatibilityForms() {
        ScriptResolver resolver = resolver();

        for (String name : List.of("a.php", "A.PHP", "a.pHp", "a.php.", "a.php..", "a.php ", "a.php. ",
                "a.\uFF50\uFF48\uFF50", "x.php.bak", "x.PHP.old", "x.php~", "x.php-old", "x.php_1")) {
            assertTrue(resolver.looksLikeScript(name), name);
        }
        for (String name : List.of("a.css", "a.jpg", "php", "a.phpx", "readme.txt")) {
            assertFalse(resolver.looksLikeScript(name), name);
        }
        assertTrue(resolver.isScriptName("a.php"));
        for (String name : List.of(".php", "a.PHP", "a.php.", "a.php ", "a.phps", "a.\uFF50\uFF48\uFF50")) {
            assertFalse(resolver.isScriptName(name), name);
        }
    }

    @Test
    void deniedPrefixesAreNotFound() {
        ScriptResolver resolver = resolver("deny", "/private/", "front-controller", "/index.php");

        assertEquals(new Resolution.NotFound(), resolver.resolve("/private/x.txt"));
        assertEquals(new Resolution.NotFound(), resolver.resolve("/private/"));
        assertEquals(new Resolution.NotFound(), resolver.resolve("/private/anything.php"));
    }

    @Test
    void aDeniedPrefixHoldsWithoutFrontControllerToo() {
        ScriptResolver resolver = resolver("deny", "/private/", "deny", "/sub/");

        assertEquals(new Resolution.NotFound(), resolver.resolve("/private/x.txt"));
        assertEquals(new Resolution.NotFound(), resolver.resolve("/sub/page.php"));
        assertEquals(new Resolution.NotFound(), resolver.resolve("/sub/"));
        assertEquals(new Resolution.NotFound(), resolver.resolve("//private/x.txt"));
    }

    @Test
    void regexDenyRulesAreNotFound() throws IOException {
        ScriptResolver resolver = resolver("deny", "~\\.bak$", "deny", "~^/sub/page");

        assertEquals(new Resolution.NotFound(), resolver.resolve("/notes/draft.bak"));
        assertEquals(new Resolution.NotFound(), resolver.resolve("/sub/page.php"));
        assertEquals(new Resolution.NotFound(), resolver.resolve("/sub/page.php/x"));
        assertEquals(script("sub/index.php", "/sub/index.php", ""), resolver.resolve("/sub/"));
        assertEquals(staticFile("style.css"), resolver.resolve("/style.css"));
    }

    @Test
    void aDenyRuleOnTheFileHoldsForEverySpellingThatReachesIt() throws IOException {
        ScriptResolver resolver = resolver("deny", "~\\.jpg$", "deny", "~/sub/index\\.php$");

        assertEquals(new Resolution.NotFound(), resolver.resolve("/uploads/evil.jpg"));
        assertEquals(new Resolution.NotFound(), resolver.resolve("/uploads/evil.jpg/"));
        assertEquals(new Resolution.NotFound(), resolver.resolve("/uploads/evil.jpg//"));
        assertEquals(new Resolution.NotFound(), resolver.resolve("//uploads//evil.jpg"));
        assertEquals(new Resolution.NotFound(), resolver.resolve("/sub/"), "the index script is denied too");
        assertEquals(script("a.php", "/a.php", ""), resolver.resolve("/a.php"));
    }

    @Test
    void aDeniedFrontControllerIsNotFound() {
        ScriptResolver resolver = resolver("deny", "~^/index\\.php", "front-controller", "/index.php");

        assertEquals(new Resolution.NotFound(), resolver.resolve("/pretty/url"));
    }

    @Test
    void aTrailingSlashAfterAFileIsNotThatFile() throws IOException {
        assertEquals(new Resolution.NotFound(), resolver().resolve("/style.css/"));
        assertEquals(script("index.php", "/index.php", ""),
                resolver("front-controller", "/index.php").resolve("/style.css/"));
    }

    private static void assertNeverRuns(Resolution resolution, Path file) throws IOException {
        if (resolution instanceof Resolution.Script script) {
            Path real = file.toRealPath();
            assertFalse(script.file().toRealPath().equals(real), "ran " + file + ": " + resolution);
        }
    }
}
