package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which ids and trace contexts a client may hand the bridge, and that new ids do not repeat. */
class RequestIdTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void uuidsBase64AndNginxIdsAreSafeSpacesQuotesControlsAndOverlongOnesAreNot() {
        assertTrue(RequestId.isSafe("f47ac10b-58cc-4372-a567-0e02b2c3d479"));
        assertTrue(RequestId.isSafe("q83vEjRWeJA/+w=="));
        assertTrue(RequestId.isSafe("x".repeat(RequestId.MAX_LENGTH)));
        assertFalse(RequestId.isSafe(""));
        assertFalse(RequestId.isSafe("x".repeat(RequestId.MAX_LENGTH + 1)));
        assertFalse(RequestId.isSafe("a b"));
        assertFalse(RequestId.isSafe("a\"b"));
        assertFalse(RequestId.isSafe("a\nFCGI-0300 forged"));
        assertFalse(RequestId.isSafe("caf\u00e9"));
    }

    @Test
    void onlyWellFormedTraceparentsAreTakenAsIds() {
        assertTrue(RequestId.isTraceparent(TRACEPARENT));
        // A later version may append fields; version 00 may not.
        assertTrue(RequestId.isTraceparent("01" + TRACEPARENT.substring(2) + "-extra"));
        assertFalse(RequestId.isTraceparent(TRACEPARENT + "-extra"));
        assertFalse(RequestId.isTraceparent(TRACEPARENT.toUpperCase()));
        assertFalse(RequestId.isTraceparent("ff" + TRACEPARENT.substring(2)));
        assertFalse(RequestId.isTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
        assertFalse(RequestId.isTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"));
        assertFalse(RequestId.isTraceparent(TRACEPARENT.substring(0, 54)));
        assertFalse(RequestId.isTraceparent(TRACEPARENT.replace('-', '_')));
    }

    @Test
    void newIdsAreThirtyTwoHexDigitsAndDoNotRepeat() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = RequestId.fresh();
            assertTrue(id.matches("[0-9a-f]{32}"), id);
            ids.add(id);
        }
        assertEquals(100_000, ids.size());
    }
}
