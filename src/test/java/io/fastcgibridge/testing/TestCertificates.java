package io.fastcgibridge.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made at test time with {@code openssl}, laid out as Certbot lays them out: a test
 * certificate authority ({@code ca.pem}, for clients to trust), and for each server certificate a
 * {@code fullchain.pem} (the server certificate, then the authority) and a {@code privkey.pem},
 * valid for 127.0.0.1, ::1 and localhost.
 */
public final class TestCertificates {

    /** The key forms a {@code privkey.pem} can come in. */
    public enum KeyForm {
        /** {@code BEGIN PRIVATE KEY}: PKCS#8, RSA. */
        PKCS8_RSA,
        /** {@code BEGIN RSA PRIVATE KEY}: PKCS#1. */
        TRADITIONAL_RSA,
        /** {@code BEGIN EC PRIVATE KEY}: SEC 1, P-256. */
        TRADITIONAL_EC
    }

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** A new authority in {@code dir}. */
    public static TestCertificates authority(Path dir) throws IOException, InterruptedException {
        TestCertificates certificates = new TestCertificates(dir);
        certificates.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca.pem",
                "-days", "2", "-subj", "/CN=fastcgi-bridge test authority");
        return certificates;
    }

    /** The authority's certificate, for clients to trust. */
    public Path authorityCertificate() {
        return dir.resolve("ca.pem");
    }

    /**
     * A server certificate named {@code name} (its common name too), signed by the authority, in
     * {@code name/fullchain.pem} and {@code name/privkey.pem}.
     */
    public Path issue(String name, KeyForm form) throws IOException, InterruptedException {
        Path live = Files.createDirectories(dir.resolve(name));
        String key = name + "/privkey.pem";
        List<String> newKey = form == KeyForm.TRADITIONAL_EC
                ? List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256") : List.of("-newkey", "rsa:2048");
        List<String> request = new ArrayList<>(List.of("req", "-new", "-nodes"));
        request.addAll(newKey);
        request.addAll(List.of("-keyout", key, "-out", name + "/cert.csr", "-subj", "/CN=" + name));
        openssl(request.toArray(String[]::new));
        Files.writeString(live.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\n");
        openssl("x509", "-req", "-in", name + "/cert.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial",
                "-days", "2", "-extfile", name + "/san.ext", "-out", name + "/cert.pem");
        if (form != KeyForm.PKCS8_RSA) {
            openssl("pkey", "-in", key, "-traditional", "-out", name + "/traditional.pem");
            Files.move(live.resolve("traditional.pem"), live.resolve("privkey.pem"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(live.resolve("fullchain.pem"), Files.readString(live.resolve("cert.pem"))
                + Files.readString(authorityCertificate()));
        return live;
    }

    /** The first certificate of a PEM file. */
    public static X509Certificate read(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed:\n" + output);
        }
    }
}
