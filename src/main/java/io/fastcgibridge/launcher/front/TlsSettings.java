package io.fastcgibridge.launcher.front;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The HTTPS listener ({@code --tls-cert}, {@code --tls-key}, {@code --https-port}): a certificate
 * chain and its private key in PEM files, as Certbot writes them ({@code fullchain.pem},
 * {@code privkey.pem}); the key in PKCS#8 or the traditional RSA or EC form.
 *
 * @param certificateChain the server certificate first, then the intermediates
 * @param privateKey the key, unencrypted
 * @param port where HTTPS listens; 0 picks a free port
 */
public record TlsSettings(Path certificateChain, Path privateKey, int port) {

    /** nginx has no default; Tomcat's examples and most Java servers use 8443, and the launcher runs unprivileged. */
    public static final int DEFAULT_PORT = 8443;

    public TlsSettings {
        requireReadable("tls-cert", certificateChain);
        requireReadable("tls-key", privateKey);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("https-port: must be 0 to 65535, was " + port);
        }
    }

    private static void requireReadable(String flag, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(flag + ": no readable file at " + file);
        }
    }
}
