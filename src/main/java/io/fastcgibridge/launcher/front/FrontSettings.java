package io.fastcgibridge.launcher.front;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the launcher faces clients: which proxies it believes, HTTPS, the redirect to it, and
 * cleartext HTTP/2. Flags of {@code serve} only: in a WAR the container's own connectors and
 * valves do this.
 *
 * @param proxies the peers whose {@code X-Forwarded-*} headers are believed
 * @param tls the HTTPS listener, if any
 * @param redirectHttp whether plain HTTP requests get a 301 to https
 * @param h2c whether the plain port speaks HTTP/2 too (prior knowledge or {@code Upgrade: h2c})
 */
public record FrontSettings(TrustedProxies proxies, Optional<TlsSettings> tls, boolean redirectHttp, boolean h2c) {

    /** The flags this takes; {@link #SWITCHES} need no value. */
    public static final List<String> FLAGS = List.of("trusted-proxy", "tls-cert", "tls-key", "https-port");
    public static final List<String> SWITCHES = List.of("redirect-http", "h2c");

    public FrontSettings {
        if (redirectHttp && tls.isEmpty() && proxies.blocks().isEmpty()) {
            throw new IllegalArgumentException("redirect-http: needs --tls-cert and --tls-key, or a --trusted-proxy"
                    + " that terminates TLS, or the redirect would lead nowhere");
        }
    }

    /** Plain HTTP/1.1 from anyone, no proxy believed: the launcher's default. */
    public static FrontSettings none() {
        return new FrontSettings(TrustedProxies.none(), Optional.empty(), false, false);
    }

    /**
     * From the flags' values by name.
     *
     * @throws IllegalArgumentException naming the flag, for a value that does not fit
     */
    public static FrontSettings parse(Function<String, List<String>> flags) {
        List<String> cert = flags.apply("tls-cert");
        List<String> key = flags.apply("tls-key");
        List<String> port = flags.apply("https-port");
        Optional<TlsSettings> tls = Optional.empty();
        if (cert.isEmpty() != key.isEmpty()) {
            throw new IllegalArgumentException("tls-cert and tls-key: give both (fullchain.pem and privkey.pem) or neither");
        }
        if (!cert.isEmpty()) {
            tls = Optional.of(new TlsSettings(Path.of(last(cert)), Path.of(last(key)),
                    port.isEmpty() ? TlsSettings.DEFAULT_PORT : number("https-port", last(port))));
        } else if (!port.isEmpty()) {
            throw new IllegalArgumentException("https-port: needs --tls-cert and --tls-key");
        }
        return new FrontSettings(TrustedProxies.parse(flags.apply("trusted-proxy")), tls,
                isOn("redirect-http", flags.apply("redirect-http")), isOn("h2c", flags.apply("h2c")));
    }

    /** The lines of {@code serve}'s usage text for these flags. */
    public static String usage() {
        return """
                      --trusted-proxy CIDR     a proxy whose X-Forwarded-For/-Proto/-Host/-Port are believed
                                               (IPv4 or IPv6, an address or a block); repeat for several; none by default
                      --tls-cert FILE          HTTPS with this PEM certificate chain (Certbot's fullchain.pem)
                      --tls-key FILE           and this PEM private key (privkey.pem); kill -HUP or reload re-reads both
                      --https-port N           where HTTPS listens (default %d); HTTP/2 is offered there by ALPN
                      --redirect-http          plain HTTP requests get a 301 to the same URL on https
                      --h2c                    the plain port speaks HTTP/2 too (prior knowledge or Upgrade: h2c)
                """.formatted(TlsSettings.DEFAULT_PORT);
    }

    private static String last(List<String> values) {
        return values.get(values.size() - 1);
    }

    private static int number(String flag, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": not a port number: " + value);
        }
    }

    private static boolean isOn(String flag, List<String> values) {
        if (values.isEmpty()) {
            return false;
        }
        return switch (last(values)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new IllegalArgumentException(flag + ": on or off, not " + last(values));
        };
    }
}
