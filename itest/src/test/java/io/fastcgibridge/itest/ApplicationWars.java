package io.fastcgibridge.itest;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.ByteArrayAsset;
import org.jboss.shrinkwrap.api.asset.ClassLoaderAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The WARs of {@code io.fastcgibridge.itest.app}, an application with its own servlet and CDI beans
 * (request-scoped ones injected into its bridge observers), packaged two ways:
 * <ul>
 * <li>{@link #existingApplication}: the bridge as a library beside the application's own servlet, its
 * {@code FastCgiServlet} declared in web.xml under {@code /php/*} with {@code load-on-startup} and async,
 * with weld-servlet-shaded 5.1.6.Final, as the README tells a Jakarta EE developer to do;</li>
 * <li>{@link #automaticRegistration}: no servlet declared, only the context param {@code fastcgi.fpm},
 * with weld-servlet-core, as the sample does;</li>
 * <li>{@link #frontApplication}: the same, configured only by its context file (the container's
 * proxy valve, {@code fastcgi.fpm}, {@code fastcgi.internal}), with the scripts that show what
 * PHP is told about the client, a page and a static file worth compressing, and a download handed
 * to the front with {@code X-Accel-Redirect}.</li>
 * </ul>
 */
final class ApplicationWars {

    private static final String APP = "io/fastcgibridge/itest/app/";
    /** The PHP part shared by the applications: scripts, and a static file, under {@code /app/}. */
    private static final List<String> PHP_FILES = List.of("hello.php", "style.css", "server.php", "text.php",
            "notes.txt");
    private static final List<String> CLASSES = List.of("Visit", "Greeter", "EventsFile", "LifecycleRecorder",
            "VisitHeader", "CompletionLog", "HelloServlet");
    private static final String BEANS_XML = "<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"4.0\""
            + " bean-discovery-mode=\"annotated\"/>\n";
    private static final String WEB_APP = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee"
                     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                     xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/web-app_6_0.xsd"
                     version="6.0">
            %s</web-app>
            """;

    private ApplicationWars() {
    }

    /** The application's PHP part, outside the WAR as a separately deployed PHP application would be. */
    static Path phpDocumentRoot(Path folder) throws IOException {
        Files.createDirectories(folder);
        for (String file : PHP_FILES) {
            try (var in = ApplicationWars.class.getResourceAsStream("/app/" + file)) {
                Files.copy(in, folder.resolve(file));
            }
        }
        return folder;
    }

    static Path existingApplication(Path war, String fpm, Path documentRoot) throws IOException {
        String webXml = WEB_APP.formatted("""
                  <servlet>
                    <servlet-name>hello</servlet-name>
                    <servlet-class>io.fastcgibridge.itest.app.HelloServlet</servlet-class>
                  </servlet>
                  <servlet-mapping>
                    <servlet-name>hello</servlet-name>
                    <url-pattern>/hello</url-pattern>
                  </servlet-mapping>
                  <servlet>
                    <servlet-name>php</servlet-name>
                    <servlet-class>io.fastcgibridge.servlet.FastCgiServlet</servlet-class>
                    <init-param><param-name>fpm</param-name><param-value>%s</param-value></init-param>
                    <init-param><param-name>docroot</param-name><param-value>%s</param-value></init-param>
                    <load-on-startup>1</load-on-startup>
                    <async-supported>true</async-supported>
                  </servlet>
                  <servlet-mapping>
                    <servlet-name>php</servlet-name>
                    <url-pattern>/php/*</url-pattern>
                  </servlet-mapping>
                """.formatted(fpm, documentRoot));
        return export(archive(webXml, jars("itest.app.lib", "target/app-lib")), war);
    }

    static Path automaticRegistration(Path war, String fpm) throws IOException {
        String webXml = WEB_APP.formatted("""
                  <context-param>
                    <param-name>fastcgi.fpm</param-name>
                    <param-value>%s</param-value>
                  </context-param>
                """.formatted(fpm));
        WebArchive archive = archive(webXml, warLibraries());
        archive.add(new ClassLoaderAsset("app/hello.php"), "hello.php");
        archive.add(new ClassLoaderAsset("app/style.css"), "style.css");
        return export(archive, war);
    }

    /** No web.xml settings: an operator gives them in the context file. */
    static Path frontApplication(Path war) throws IOException {
        WebArchive archive = archive(WEB_APP.formatted(""), warLibraries());
        for (String file : PHP_FILES) {
            archive.add(new ClassLoaderAsset("app/" + file), file);
        }
        archive.add(new ClassLoaderAsset("front/download.php"), "download.php");
        archive.add(new ByteArrayAsset(protectedFile()), "protected/file.bin");
        return export(archive, war);
    }

    /** The bytes of the front application's {@code /protected/file.bin}: 64 KiB that do not compress. */
    static byte[] protectedFile() {
        byte[] bytes = new byte[64 * 1024];
        new Random(12).nextBytes(bytes);
        return bytes;
    }

    private static WebArchive archive(String webXml, List<File> jars) {
        return cdiArchive("app.war", webXml, APP, CLASSES, jars);
    }

    /** The jars of the test WARs (the bridge, Weld Servlet, what the pom adds), from {@code itest.war.lib}. */
    static List<File> warLibraries() throws IOException {
        return jars("itest.war.lib", "target/war-lib");
    }

    /**
     * A WAR with CDI: {@code webXml}, an annotated {@code beans.xml}, the named classes of
     * {@code classFolder} and the {@code jars}.
     */
    static WebArchive cdiArchive(String name, String webXml, String classFolder, List<String> classes,
            List<File> jars) {
        WebArchive archive = ShrinkWrap.create(WebArchive.class, name)
                .setWebXML(new StringAsset(webXml))
                .addAsWebInfResource(new StringAsset(BEANS_XML), "beans.xml")
                .addAsLibraries(jars.toArray(File[]::new));
        // As bytes, so that the test's class loader, which has no CDI, never loads them.
        for (String className : classes) {
            archive.addAsWebInfResource(new ClassLoaderAsset(classFolder + className + ".class"),
                    "classes/" + classFolder + className + ".class");
        }
        return archive;
    }

    private static List<File> jars(String property, String fallback) throws IOException {
        Path folder = Path.of(System.getProperty(property, fallback));
        try (Stream<Path> files = Files.list(folder)) {
            List<File> jars = files.filter(file -> file.toString().endsWith(".jar")).sorted().map(Path::toFile).toList();
            if (jars.stream().noneMatch(jar -> jar.getName().startsWith("fastcgi-bridge-"))) {
                throw new IllegalStateException("the bridge's jar is not in " + folder + ": " + jars);
            }
            return jars;
        }
    }

    private static Path export(WebArchive archive, Path war) {
        archive.as(ZipExporter.class).exportTo(war.toFile(), true);
        return war;
    }
}
