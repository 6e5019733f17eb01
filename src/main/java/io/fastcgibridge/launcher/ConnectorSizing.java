package io.fastcgibridge.launcher;

/**
 * How many connections Tomcat and the request-head gate may hold, from the heap, so that no burst
 * of connections can run the launcher out of memory: Tomcat allocates its buffers for a connection
 * when it takes it, so its {@code maxConnections} is what the heap can hold at the worst (every one
 * with a request in flight); connections past it wait in the gate, for a few hundred bytes each.
 *
 * @param maxConnections connections Tomcat holds at once (its {@code maxConnections})
 * @param processorCache idle HTTP processors Tomcat keeps for reuse
 * @param channelCache idle channels, with their socket buffers, Tomcat keeps for reuse
 * @param gateConnections connections the gate holds at once
 * @param gateBytes heap for the request heads the gate holds at once
 */
record ConnectorSizing(int maxConnections, int processorCache, int channelCache, int gateConnections,
        long gateBytes) {

    /** Tomcat's own default, and the most it will ever be given. */
    static final int MOST_CONNECTIONS = 8 * 1024;
    static final int FEWEST_CONNECTIONS = 16;
    static final int MOST_WAITING = 16 * 1024;
    /**
     * What a connection in Tomcat costs besides the buffers counted apart: its wrapper, request and
     * response objects with their own buffers, header tables and the bridge's request state
     * (measured: 50 requests in flight took 300 KB each, 232 KB of them the buffers counted apart).
     */
    static final int TOMCAT_OBJECTS = 72 * 1024;
    /** What a connection in the gate costs besides its head's bytes: socket, key, scanner (measured: 1.2 KB). */
    static final int GATE_OBJECTS = 1536;
    /** Room in the response header buffer for what Tomcat adds to PHP's headers (status line, Date, Server, framing). */
    static final int RESPONSE_HEADER_ROOM = 8 * 1024;

    /**
     * Sizes for a heap of {@code maxHeap} bytes: Tomcat's connections at their worst take up to 3/8
     * of it, the gate 1/8 for heads and 1/16 for its connections, Tomcat's caches 1/16 and 1/32. The
     * rest is the application's: a live set of about 8 MB, PHP responses being buffered and the
     * garbage collector's room.
     *
     * @param maxHeadBytes the request head limit ({@code --max-headers}); Tomcat's request and
     *        response header buffers are sized to it
     * @param readBuffer Tomcat's socket read buffer
     * @param writeBuffer Tomcat's socket write buffer
     * @param bodyMemory request body bytes the bridge holds in memory per request
     */
    static ConnectorSizing forHeap(long maxHeap, int maxHeadBytes, int readBuffer, int writeBuffer, long bodyMemory) {
        long channel = (long) readBuffer + writeBuffer;
        long processor = (long) maxHeadBytes + readBuffer + maxHeadBytes + RESPONSE_HEADER_ROOM;
        long connection = channel + processor + bodyMemory + TOMCAT_OBJECTS;
        int maxConnections = clamp(maxHeap * 3 / 8 / connection, FEWEST_CONNECTIONS, MOST_CONNECTIONS);
        int processorCache = clamp(maxHeap / 16 / processor, 0, maxConnections);
        int channelCache = clamp(maxHeap / 32 / channel, 0, maxConnections);
        int gateConnections = clamp(maxHeap / 16 / GATE_OBJECTS, FEWEST_CONNECTIONS, MOST_WAITING);
        long gateBytes = Math.max(2L * maxHeadBytes, maxHeap / 8);
        return new ConnectorSizing(maxConnections, processorCache, channelCache, gateConnections, gateBytes);
    }

    private static int clamp(long value, int least, int most) {
        return (int) Math.max(least, Math.min(most, value));
    }
}
