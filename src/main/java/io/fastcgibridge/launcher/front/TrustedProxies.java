package io.fastcgibridge.launcher.front;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.catalina.valves.RemoteIpValve;

/**
 * The peers whose {@code X-Forwarded-*} headers are believed ({@code --trusted-proxy}), as Tomcat's
 * {@code RemoteIpValve}: from such a peer, and only from one, the client address is the right-most
 * address in {@code X-Forwarded-For} that is not a trusted proxy, and {@code X-Forwarded-Proto},
 * {@code -Host} and {@code -Port} set the scheme, server name and port. Like nginx's
 * {@code set_real_ip_from} with {@code real_ip_recursive on}.
 *
 * @param blocks the trusted blocks; none (the default) trusts nobody
 */
public record TrustedProxies(List<CidrPattern> blocks) {

    public TrustedProxies {
        blocks = List.copyOf(blocks);
    }

    public static TrustedProxies none() {
        return new TrustedProxies(List.of());
    }

    /** From the flag's values, each an address or CIDR block. */
    public static TrustedProxies parse(List<String> values) {
        return new TrustedProxies(values.stream().map(CidrPattern::parse).toList());
    }

    /** The valve for these proxies, or none when no proxy is trusted (then nothing is rewritten). */
    public Optional<RemoteIpValve> valve() {
        if (blocks.isEmpty()) {
            return Optional.empty();
        }
        RemoteIpValve valve = new RemoteIpValve();
        // Replaces the valve's default, which trusts every private and loopback address.
        valve.setInternalProxies(blocks.stream().map(CidrPattern::regex).collect(Collectors.joining("|")));
        valve.setTrustedProxies(null);
        valve.setRemoteIpHeader("X-Forwarded-For");
        valve.setProtocolHeader("X-Forwarded-Proto");
        valve.setHostHeader("X-Forwarded-Host");
        valve.setPortHeader("X-Forwarded-Port");
        return Optional.of(valve);
    }

    @Override
    public String toString() {
        return blocks.stream().map(CidrPattern::cidr).collect(Collectors.joining(", "));
    }
}
