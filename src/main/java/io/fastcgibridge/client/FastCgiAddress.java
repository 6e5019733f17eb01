package io.fastcgibridge.client;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Where a FastCGI application listens: a TCP host and port, or a Unix domain socket. Parsed from
 * {@code host:port}, {@code tcp://host:port}, {@code [::1]:9000}, {@code unix:///run/php/fpm.sock}
 * or a plain absolute path.
 */
public sealed interface FastCgiAddress {

    /** The address to connect a {@link java.nio.channels.SocketChannel} to. */
    SocketAddress socketAddress();

    /** The protocol family to open the channel with. */
    StandardProtocolFamily family();

    /** A TCP address; the host is resolved when connecting. */
    record Tcp(String host, int port) implements FastCgiAddress {
        public Tcp {
            if (host.isEmpty()) {
                throw new IllegalArgumentException("empty host");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " outside 1..65535");
            }
        }

        @Override
        public SocketAddress socketAddress() {
            return new InetSocketAddress(host, port);
        }

        @Override
        public StandardProtocolFamily family() {
            return host.contains(":") ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** A Unix domain socket file. */
    record Unix(Path path) implements FastCgiAddress {
        @Override
        public SocketAddress socketAddress() {
            return UnixDomainSocketAddress.of(path);
        }

        @Override
        public StandardProtocolFamily family() {
            return StandardProtocolFamily.UNIX;
        }

        @Override
        public String toString() {
            return "unix://" + path;
        }
    }

    /**
     * Parses one of the accepted forms.
     *
     * @throws IllegalArgumentException naming the text and the forms accepted
     */
    static FastCgiAddress parse(String text) {
        String address = text.trim();
        try {
            if (address.startsWith("unix://")) {
                return unix(address.substring("unix://".length()), text);
            }
            if (address.startsWith("/")) {
                return unix(address, text);
            }
            if (address.startsWith("tcp://")) {
                address = address.substring("tcp://".length());
            }
            return tcp(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad FastCGI address '" + text + "': " + e.getMessage()
                    + " (use host:port, tcp://host:port, [::1]:9000, unix:///path/to.sock or /path/to.sock)", e);
        }
    }

    private static FastCgiAddress unix(String path, String text) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a socket path must be absolute");
        }
        return new Unix(Path.of(path));
    }

    private static FastCgiAddress tcp(String address) {
        String host;
        String port;
        if (address.startsWith("[")) {
            int close = address.indexOf(']');
            if (close < 0 || close + 1 >= address.length() || address.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("an IPv6 address needs the form [addr]:port");
            }
            host = address.substring(1, close);
            port = address.substring(close + 2);
        } else {
            int colon = address.lastIndexOf(':');
            if (colon < 0 || address.indexOf(':') != colon) {
                throw new IllegalArgumentException("no port");
            }
            host = address.substring(0, colon);
            port = address.substring(colon + 1);
        }
        try {
            return new Tcp(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port '" + port + "' is not a number");
        }
    }
}
