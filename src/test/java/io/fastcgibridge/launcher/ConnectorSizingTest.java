package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Tomcat's and the gate's connection counts for a heap: at their worst they fit in it beside the
 * application, and they are not so small that ordinary load waits.
 */
class ConnectorSizingTest {

    private static final long MIB = 1 << 20;
    private static final int MAX_HEAD = 64 * 1024;
    private static final long BODY_MEMORY = 64 * 1024;
    /** The launcher's live heap once started and warm (measured with GC.heap_info after a full GC: 8 to 9 MiB). */
    private static final long LIVE_SET = 9 * MIB;

    @Test
    void atSixtyFourMebibytesEverythingAtItsWorstFitsWithRoomToCollect() {
        long heap = 64 * MIB;
        ConnectorSizing sizing = size(heap);
        long worst = LIVE_SET + worstCase(sizing);
        assertTrue(worst < heap * 7 / 8, "at the worst " + worst / MIB + " MiB of " + heap / MIB + ": " + sizing);
        assertTrue(sizing.gateConnections() >= 2_000, "HostileClientsIT holds 2,000 half-sent heads: " + sizing);
        assertTrue(sizing.maxConnections() >= 32, sizing.toString());
    }

    @Test
    void atFiveHundredTwelveMebibytesTheBenchmarksConnectionsAllFitInTomcat() {
        // itest/bench/compare.sh runs wrk with 256 kept-alive connections against -Xmx512m
        assertTrue(size(512 * MIB).maxConnections() >= 256, size(512 * MIB).toString());
    }

    @Test
    void largeHeapsStopAtTomcatsOwnDefaultAndTinyOnesStillServe() {
        ConnectorSizing large = size(64L * 1024 * MIB);
        assertEquals(8 * 1024, large.maxConnections());
        assertEquals(16 * 1024, large.gateConnections());
        ConnectorSizing tiny = size(8 * MIB);
        assertEquals(16, tiny.maxConnections());
        assertTrue(tiny.gateBytes() >= 2L * MAX_HEAD);
    }

    @Test
    void largerHeadersMeanFewerConnectionsInTomcat() {
        assertTrue(ConnectorSizing.forHeap(256 * MIB, 256 * 1024, 16 * 1024, 64 * 1024, BODY_MEMORY).maxConnections()
                < size(256 * MIB).maxConnections());
    }

    private static ConnectorSizing size(long heap) {
        return ConnectorSizing.forHeap(heap, MAX_HEAD, 16 * 1024, 64 * 1024, BODY_MEMORY);
    }

    /** Every Tomcat connection with a request in flight, both caches full, the gate full of heads. */
    private static long worstCase(ConnectorSizing sizing) {
        long channel = 16 * 1024 + 64 * 1024;
        long processor = 2L * MAX_HEAD + 16 * 1024 + ConnectorSizing.RESPONSE_HEADER_ROOM;
        long connection = channel + processor + BODY_MEMORY + ConnectorSizing.TOMCAT_OBJECTS;
        return sizing.maxConnections() * connection + sizing.processorCache() * processor
                + sizing.channelCache() * channel + sizing.gateBytes()
                + (long) sizing.gateConnections() * ConnectorSizing.GATE_OBJECTS;
    }
}
