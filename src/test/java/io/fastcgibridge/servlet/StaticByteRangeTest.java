package io.fastcgibridge.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading {@code Range} headers against a representation's length, as RFC 9110 §14 describes. */
class StaticByteRangeTest {

    private static List<ByteRange> parts(String header, long size) {
        return assertInstanceOf(ByteRange.Parts.class, ByteRange.select(header, size)).ranges();
    }

    @Test
    void aClosedRange() {
        assertEquals(List.of(new ByteRange(0, 99)), parts("bytes=0-99", 1000));
        assertEquals(100, new ByteRange(0, 99).length());
        assertEquals("bytes 0-99/1000", new ByteRange(0, 99).contentRange(1000));
    }

    @Test
    void anOpenRangeRunsToTheEnd() {
        assertEquals(List.of(new ByteRange(100, 999)), parts("bytes=100-", 1000));
    }

    @Test
    void aSuffixRangeIsTheLastBytes() {
        assertEquals(List.of(new ByteRange(900, 999)), parts("bytes=-100", 1000));
    }

    @Test
    void aSuffixLongerThanTheRepresentationIsAllOfIt() {
        assertEquals(List.of(new ByteRange(0, 9)), parts("bytes=-100", 10));
    }

    @Test
    void aLastPositionPastTheEndIsCutToTheEnd() {
        assertEquals(List.of(new ByteRange(5, 9)), parts("bytes=5-5000", 10));
        assertEquals(List.of(new ByteRange(5, 9)), parts("bytes=5-99999999999999999999999", 10));
    }

    @Test
    void theUnitIsCaseInsensitiveAndWhitespaceAroundCommasIsAllowed() {
        assertEquals(List.of(new ByteRange(0, 0)), parts("Bytes=0-0", 10));
        assertEquals(List.of(new ByteRange(0, 1), new ByteRange(5, 6)), parts("bytes= 0-1 , ,5-6 ", 10));
    }

    @Test
    void overlappingAndTouchingRangesMergeIntoOne() {
        assertEquals(List.of(new ByteRange(0, 20)), parts("bytes=5-20,0-10", 100));
        assertEquals(List.of(new ByteRange(0, 19)), parts("bytes=0-9,10-19", 100));
        assertEquals(List.of(new ByteRange(0, 9), new ByteRange(20, 29)), parts("bytes=20-29,0-9", 100));
    }

    @Test
    void unsatisfiableRangesAreDroppedWhenOthersRemain() {
        assertEquals(List.of(new ByteRange(0, 4)), parts("bytes=0-4,500-600", 10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=1000-", "bytes=1000-2000", "bytes=-0", "bytes=5000-,-0"})
    void nothingInsideTheRepresentationIsUnsatisfiable(String header) {
        assertInstanceOf(ByteRange.Unsatisfiable.class, ByteRange.select(header, 1000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bytes", "bytes=", "bytes=,", "bytes=abc", "bytes=5", "bytes=9-5", "bytes=-",
            "bytes=1-2-3", "bytes=0x10-20", "bytes=+1-2", "bytes=-+5", "bytes=1 -2", "items=0-5", "bytes=0-5,x",
            "bytes=٣-٤"})
    void aMalformedHeaderIsIgnored(String header) {
        assertInstanceOf(ByteRange.Whole.class, ByteRange.select(header, 1000));
    }

    @Test
    void noHeaderOrAnEmptyRepresentationSelectsTheWhole() {
        assertInstanceOf(ByteRange.Whole.class, ByteRange.select(null, 1000));
        assertInstanceOf(ByteRange.Whole.class, ByteRange.select("bytes=0-5", 0));
    }

    @Test
    void aRangeCannotRunBackwards() {
        assertThrows(IllegalArgumentException.class, () -> new ByteRange(5, 4));
        assertThrows(IllegalArgumentException.class, () -> new ByteRange(-1, 4));
    }
}
