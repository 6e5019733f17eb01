package io.fastcgibridge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code --max-header-count} and {@code --header-timeout} as {@code serve} reads them. */
class HttpLimitsTest {

    @Test
    void unsetFlagsGiveDefaultsAboveTomcatsAndAsNginxs() {
        HttpLimits limits = HttpLimits.parse("", "");
        assertEquals(1000, limits.maxHeaderCount());
        assertTrue(limits.maxHeaderCount() > 100, "Tomcat's own default is 100");
        assertEquals(Duration.ofSeconds(60), limits.headerTimeout(), "nginx's client_header_timeout");
    }

    @Test
    void givenValuesAreTaken() {
        assertEquals(new HttpLimits(250, Duration.ofSeconds(15)), HttpLimits.parse("250", "15s"));
    }

    @Test
    void aBadValueNamesItsFlag() {
        assertEquals("max-header-count: not a number: many",
                assertThrows(IllegalArgumentException.class, () -> HttpLimits.parse("many", "")).getMessage());
        assertEquals("max-header-count: must be a positive number, was 0",
                assertThrows(IllegalArgumentException.class, () -> HttpLimits.parse("0", "")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HttpLimits.parse("", "soon")).getMessage()
                .startsWith("header-timeout: bad duration 'soon'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HttpLimits.parse("", "0")).getMessage()
                .startsWith("header-timeout: must be positive"));
    }
}
