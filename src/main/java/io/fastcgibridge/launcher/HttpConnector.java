package io.fastcgibridge.launcher;

import io.fastcgibridge.launcher.front.TlsSettings;
import io.fastcgibridge.launcher.gate.GateLimits;
import io.fastcgibridge.launcher.gate.GatedNioEndpoint;
import io.fastcgibridge.servlet.BridgeConfig;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * The launcher's connectors: Tomcat's NIO connector, the plain one behind the request-head gate,
 * with one header-size limit ({@code --max-headers}) for the request head and PHP's response
 * headers, the same header count for HTTP/1.1 and HTTP/2, and Tomcat's connection counts and
 * caches sized to the heap.
 */
final class HttpConnector {

    /**
     * Tomcat writes a response body to the socket in pieces of appWriteBufSize (8 KiB by default):
     * 64 KiB pieces take an eighth of the system calls and, measured with itest/bench/compare.sh,
     * about half the CPU per MiB of PHP output. Reads stay small: request bodies are streamed.
     */
    static final int WRITE_BUFFER = 64 * 1024;
    static final int READ_BUFFER = 16 * 1024;
    /** Tomcat's TLS channel holds a network buffer each way, of about one TLS record (16,921 bytes). */
    static final int TLS_NET_BUFFER = 17 * 1024;

    private HttpConnector() {
    }

    /** A connector for {@code config}, not yet bound to an address; {@code h2c} adds cleartext HTTP/2. */
    static Connector create(BridgeConfig config, HttpLimits limits, boolean h2c, long heap) {
        int maxHead = config.client().maxHeaderBytes();
        ConnectorSizing sizing = ConnectorSizing.forHeap(heap, maxHead, READ_BUFFER, WRITE_BUFFER, config.bodyMemory());
        GatedNioEndpoint endpoint = new GatedNioEndpoint(new GateLimits(maxHead, limits.headerTimeout(),
                sizing.gateConnections(), sizing.gateBytes()));
        Connector connector = new Connector(new Http11NioProtocol(endpoint));
        harden(connector, maxHead, limits, sizing);
        if (h2c) {
            connector.addUpgradeProtocol(http2(limits));
        }
        System.getLogger(HttpConnector.class.getName()).log(System.Logger.Level.DEBUG,
                "FCGI-0415 Tomcat takes {0} connections, the request-head gate holds {1} more ({2} MiB of heads)",
                sizing.maxConnections(), sizing.gateConnections(), sizing.gateBytes() >> 20);
        return connector;
    }

    /**
     * The HTTPS connector, with HTTP/2 offered by ALPN. The request-head gate cannot read an
     * encrypted head, so it is not in front: Tomcat's own timeout between two reads
     * ({@code --header-timeout}) bounds the handshake and the head, and its connection count,
     * sized to the heap with the TLS buffers counted, bounds what slow clients can hold.
     */
    static Connector createTls(BridgeConfig config, HttpLimits limits, TlsSettings tls, long heap) {
        int maxHead = config.client().maxHeaderBytes();
        ConnectorSizing sizing = ConnectorSizing.forHeap(heap, maxHead, READ_BUFFER + TLS_NET_BUFFER,
                WRITE_BUFFER + TLS_NET_BUFFER, config.bodyMemory());
        Connector connector = new Connector(new Http11NioProtocol());
        harden(connector, maxHead, limits, sizing);
        connector.setProperty("connectionTimeout", Long.toString(limits.headerTimeout().toMillis()));
        connector.setScheme("https");
        connector.setSecure(true);
        connector.setProperty("SSLEnabled", "true");
        SSLHostConfig host = new SSLHostConfig();
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
        certificate.setCertificateFile(tls.certificateChain().toAbsolutePath().toString());
        certificate.setCertificateKeyFile(tls.privateKey().toAbsolutePath().toString());
        host.addCertificate(certificate);
        connector.addSslHostConfig(host);
        connector.addUpgradeProtocol(http2(limits));
        return connector;
    }

    /** HTTP/2 with the HTTP/1.1 limits: the header size comes from the connector, the count is set here. */
    private static Http2Protocol http2(HttpLimits limits) {
        Http2Protocol http2 = new Http2Protocol();
        http2.setMaxHeaderCount(limits.maxHeaderCount());
        return http2;
    }

    private static void harden(Connector connector, int maxHead, HttpLimits limits, ConnectorSizing sizing) {
        connector.setProperty("socket.appWriteBufSize", Integer.toString(WRITE_BUFFER));
        connector.setProperty("socket.appReadBufSize", Integer.toString(READ_BUFFER));
        // The gate answers 431 past --max-headers, so Tomcat never sees a larger head.
        connector.setProperty("maxHttpRequestHeaderSize", Integer.toString(maxHead));
        // PHP's headers up to --max-headers (past it the bridge answers 502) and what Tomcat adds.
        connector.setProperty("maxHttpResponseHeaderSize",
                Integer.toString(maxHead + ConnectorSizing.RESPONSE_HEADER_ROOM));
        connector.setProperty("maxHeaderCount", Integer.toString(limits.maxHeaderCount()));
        connector.setProperty("maxConnections", Integer.toString(sizing.maxConnections()));
        connector.setProperty("processorCache", Integer.toString(sizing.processorCache()));
        connector.setProperty("socket.bufferPool", Integer.toString(sizing.channelCache()));
    }
}
