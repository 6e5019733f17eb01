package io.fastcgibridge.launcher;

import io.fastcgibridge.launcher.gate.GateLimits;
import io.fastcgibridge.launcher.gate.GatedNioEndpoint;
import io.fastcgibridge.servlet.BridgeConfig;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;

/**
 * The launcher's HTTP/1.1 connector: Tomcat's NIO connector behind the request-head gate, with one
 * header-size limit ({@code --max-headers}) for the request head and PHP's response headers, and
 * Tomcat's connection counts and caches sized to the heap.
 */
final class HttpConnector {

    /**
     * Tomcat writes a response body to the socket in pieces of appWriteBufSize (8 KiB by default):
     * 64 KiB pieces take an eighth of the system calls and, measured with itest/bench/compare.sh,
     * about half the CPU per MiB of PHP output. Reads stay small: request bodies are streamed.
     */
    static final int WRITE_BUFFER = 64 * 1024;
    static final int READ_BUFFER = 16 * 1024;

    private HttpConnector() {
    }

    /** A connector for {@code config}, not yet bound to an address. */
    static Connector create(BridgeConfig config, HttpLimits limits) {
        int maxHead = config.client().maxHeaderBytes();
        ConnectorSizing sizing = ConnectorSizing.forHeap(Runtime.getRuntime().maxMemory(), maxHead, READ_BUFFER,
                WRITE_BUFFER, config.bodyMemory());
        GatedNioEndpoint endpoint = new GatedNioEndpoint(new GateLimits(maxHead, limits.headerTimeout(),
                sizing.gateConnections(), sizing.gateBytes()));
        Connector connector = new Connector(new Http11NioProtocol(endpoint));
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
        System.getLogger(HttpConnector.class.getName()).log(System.Logger.Level.DEBUG,
                "FCGI-0415 Tomcat takes {0} connections, the request-head gate holds {1} more ({2} MiB of heads)",
                sizing.maxConnections(), sizing.gateConnections(), sizing.gateBytes() >> 20);
        return connector;
    }
}
