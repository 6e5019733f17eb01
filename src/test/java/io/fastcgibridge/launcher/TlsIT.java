package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.testing.CgiEnv;
import io.fastcgibridge.testing.PhpFpm;
import io.fastcgibridge.testing.PhpFpmExtension;
import io.fastcgibridge.testing.ServeProcess;
import io.fastcgibridge.testing.TestCertificates;
import io.fastcgibridge.testing.TestCertificates.KeyForm;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code serve --tls-cert --tls-key}: HTTPS with Certbot's PEM files, HTTP/2 by ALPN, h2c on the
 * plain port, the redirect to https, and a renewed certificate taken on SIGHUP without dropping
 * the connections already open. curl, as users check it, says what was negotiated.
 */
@ExtendWith(PhpFpmExtension.class)
@Timeout(180)
class TlsIT {

    private static final Path JAR = Path.of(System.getProperty("launcher.jar", "target/fastcgi-bridge.jar"));
    private static final Pattern HTTPS_LINE = Pattern.compile("^listening on https://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    static Path certificates;
    private static TestCertificates authority;

    @BeforeAll
    static void makeAuthority() throws Exception {
        authority = TestCertificates.authority(certificates);
    }

    private static ServeProcess serve(PhpFpm fpm, Path live, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--docroot", fpm.documentRoot().toString(), "--fpm",
                fpm.unixAddress(), "--port", "0", "--https-port", "0", "--tls-cert",
                live.resolve("fullchain.pem").toString(), "--tls-key", live.resolve("privkey.pem").toString()));
        args.addAll(List.of(more));
        return ServeProcess.start(JAR, List.of("-Xmx128m"), args);
    }

    private static int httpsPort(ServeProcess serve) {
        for (String line : serve.output()) {
            Matcher m = HTTPS_LINE.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("no https line:\n" + String.join("\n", serve.output()));
    }

    /** Runs curl and returns what it printed; {@code -w} output comes last, after a line break. */
    private static String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20",
                "--cacert", authority.authorityCertificate().toString()));
        command.addAll(List.of(args));
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(curl.waitFor(30, TimeUnit.SECONDS), "curl hung");
        assertEquals(0, curl.exitValue(), "curl " + command + ":\n" + output);
        return output;
    }

    private static String lastLine(String output) {
        return output.substring(output.lastIndexOf('\n') + 1);
    }

    @Test
    void http2IsNegotiatedOverTlsAndPhpSeesHttpsItsPortAndTheTlsVersion(PhpFpm fpm) throws Exception {
        Path live = authority.issue("h2", KeyForm.PKCS8_RSA);
        try (ServeProcess serve = serve(fpm, live, "--h2c", "--header-timeout", "2s")) {
            int port = httpsPort(serve);

            String output = curl("--http2", "-w", "\n%{http_version}", "https://127.0.0.1:" + port + "/env.php");
            Map<String, String> env = CgiEnv.parse(output);

            assertEquals("2", lastLine(output), "ALPN did not give h2");
            assertEquals("on", env.get("HTTPS"));
            assertEquals("https", env.get("REQUEST_SCHEME"));
            assertEquals(Integer.toString(port), env.get("SERVER_PORT"));
            assertEquals("HTTP/2.0", env.get("SERVER_PROTOCOL"));
            assertTrue(env.getOrDefault("SSL_PROTOCOL", "").startsWith("TLSv1."), env.toString());

            String cleartext = curl("--http2-prior-knowledge", "-w", "\n%{http_version}", serve.base() + "/env.php");
            assertEquals("2", lastLine(cleartext), "--h2c: no HTTP/2 on the plain port");
            assertFalse(CgiEnv.parse(cleartext).containsKey("HTTPS"));

            // A client that opens a TLS connection and says nothing is closed after --header-timeout.
            try (Socket silent = new Socket("127.0.0.1", port)) {
                silent.setSoTimeout(15_000);
                long start = System.nanoTime();
                assertEquals(-1, silent.getInputStream().read());
                assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 10);
            }
        }
    }

    @Test
    void withRedirectHttpPlainRequestsGet301ToTheSameUrlOnHttps(PhpFpm fpm) throws Exception {
        Path live = authority.issue("redirect", KeyForm.PKCS8_RSA);
        try (ServeProcess serve = serve(fpm, live, "--redirect-http")) {
            int port = httpsPort(serve);

            String redirect = curl("-o", "/dev/null", "-w", "\n%{http_code} %{redirect_url}",
                    serve.base() + "/env.php/extra?a=1&b=two%20words");
            assertEquals("301 https://127.0.0.1:" + port + "/env.php/extra?a=1&b=two%20words", lastLine(redirect));

            Map<String, String> followed = CgiEnv.parse(curl("-L", serve.base() + "/env.php?a=1"));
            assertEquals("on", followed.get("HTTPS"));
            assertEquals("a=1", followed.get("QUERY_STRING"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyForm.class, names = {"TRADITIONAL_RSA", "TRADITIONAL_EC"})
    void certbotsTraditionalKeyFormsAreAccepted(KeyForm form, PhpFpm fpm) throws Exception {
        Path live = authority.issue("key-" + form.name().toLowerCase(java.util.Locale.ROOT), form);
        try (ServeProcess serve = serve(fpm, live)) {
            String output = curl("https://127.0.0.1:" + httpsPort(serve) + "/greeter.php");

            assertEquals("Hello World", output);
        }
    }

    @Test
    void sighupTakesARenewedCertificateForNewConnectionsWhileAnOpenOneKeepsWorking(PhpFpm fpm) throws Exception {
        Path live = authority.issue("first", KeyForm.PKCS8_RSA);
        Path renewed = authority.issue("second", KeyForm.PKCS8_RSA);
        try (ServeProcess serve = serve(fpm, live)) {
            URI greeter = URI.create("https://127.0.0.1:" + httpsPort(serve) + "/greeter.php");
            HttpClient open = client();
            assertEquals("CN=first", peer(open.send(request(greeter), HttpResponse.BodyHandlers.ofString())));

            // As Certbot renews: new files at the same paths.
            Files.copy(renewed.resolve("fullchain.pem"), live.resolve("fullchain.pem"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(renewed.resolve("privkey.pem"), live.resolve("privkey.pem"), StandardCopyOption.REPLACE_EXISTING);
            Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(serve.process().pid())).start();
            assertTrue(hup.waitFor(10, TimeUnit.SECONDS) && hup.exitValue() == 0);
            awaitLine(serve, "FCGI-0630");

            assertEquals("CN=second", peer(client().send(request(greeter), HttpResponse.BodyHandlers.ofString())),
                    "a new connection still got the old certificate");
            HttpResponse<String> again = open.send(request(greeter), HttpResponse.BodyHandlers.ofString());
            assertEquals("Hello World", again.body());
            // A new connection would have the new certificate: this one was kept.
            assertEquals("CN=first", peer(again), "the open connection was dropped by the reload");
        }
    }

    private static HttpRequest request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build();
    }

    private static String peer(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        X509Certificate certificate = (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
        return certificate.getSubjectX500Principal().getName();
    }

    /** A client trusting the test authority only; HTTP/2, so one connection carries every request. */
    private static HttpClient client() throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("authority", TestCertificates.read(authority.authorityCertificate()));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static void awaitLine(ServeProcess serve, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (serve.output().stream().noneMatch(line -> line.contains(text))) {
            assertTrue(System.nanoTime() < deadline, "no " + text + " line:\n" + String.join("\n", serve.output()));
            Thread.sleep(100);
        }
    }

}
