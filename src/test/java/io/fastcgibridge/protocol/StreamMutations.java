package io.fastcgibridge.protocol;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

/**
 * Breaks a well-formed record stream the ways a faulty or hostile backend would: flipped bits, a
 * cut, spliced or garbage bytes, a garbage record, bogus lengths, padding, versions, types and ids.
 */
public final class StreamMutations {

    private StreamMutations() {
    }

    /**
     * One to three mutations of {@code stream}; {@code raw} is the fuzzer's own bytes, used as
     * garbage and sometimes as the whole stream.
     */
    public static byte[] mutate(RecordStreams.Encoded stream, byte[] raw, Random random) {
        byte[] bytes = stream.bytes();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            bytes = mutateOnce(bytes, stream.recordStarts(), raw, random);
        }
        return bytes;
    }

    private static byte[] mutateOnce(byte[] bytes, int[] starts, byte[] raw, Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> flipBit(bytes, random);
            case 1 -> Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            case 2 -> insert(bytes, random.nextInt(bytes.length + 1), slice(random.nextBoolean() ? raw : bytes, random));
            case 3 -> overwrite(bytes, slice(random.nextBoolean() ? raw : bytes, random), random);
            case 4 -> insert(bytes, boundary(bytes, starts, random), garbageRecord(raw, random));
            case 5 -> headerByte(bytes, starts, random, 4 + random.nextInt(2)); // content length
            case 6 -> headerByte(bytes, starts, random, 6); // padding length
            case 7 -> headerByte(bytes, starts, random, random.nextInt(4)); // version, type, request id
            default -> raw.clone();
        };
    }

    private static byte[] flipBit(byte[] bytes, Random random) {
        if (bytes.length == 0) {
            return bytes;
        }
        byte[] copy = bytes.clone();
        copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        return copy;
    }

    private static byte[] slice(byte[] from, Random random) {
        if (from.length == 0) {
            return from;
        }
        int start = random.nextInt(from.length);
        return Arrays.copyOfRange(from, start, start + random.nextInt(from.length - start + 1));
    }

    private static byte[] insert(byte[] bytes, int at, byte[] piece) {
        byte[] result = new byte[bytes.length + piece.length];
        System.arraycopy(bytes, 0, result, 0, at);
        System.arraycopy(piece, 0, result, at, piece.length);
        System.arraycopy(bytes, at, result, at + piece.length, bytes.length - at);
        return result;
    }

    private static byte[] overwrite(byte[] bytes, byte[] piece, Random random) {
        byte[] copy = bytes.clone();
        if (copy.length > 0) {
            int at = random.nextInt(copy.length);
            System.arraycopy(piece, 0, copy, at, Math.min(piece.length, copy.length - at));
        }
        return copy;
    }

    /** A record start (where a garbage record fits in best) or any offset. */
    private static int boundary(byte[] bytes, int[] starts, Random random) {
        if (starts.length > 0 && random.nextInt(4) != 0) {
            return Math.min(bytes.length, starts[random.nextInt(starts.length)]);
        }
        return random.nextInt(bytes.length + 1);
    }

    /** A record with any type (also undefined ones), request id, length and content. */
    private static byte[] garbageRecord(byte[] raw, Random random) {
        byte[] content = random.nextBoolean() ? slice(raw, random)
                : RecordStreams.bytes(random, RecordStreams.length(random, 2048));
        int type = random.nextInt(4) == 0 ? random.nextInt(256) : random.nextInt(13);
        int requestId = switch (random.nextInt(3)) {
            case 0 -> 0;
            case 1 -> 1;
            default -> random.nextInt(0x10000);
        };
        int version = random.nextInt(8) == 0 ? random.nextInt(256) : FastCgi.VERSION;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new WireRecord(version, type, requestId, Arrays.copyOf(content, Math.min(content.length, 0xFFFF)),
                RecordStreams.padding(random, content.length)).writeTo(out, random);
        return out.toByteArray();
    }

    /** Sets one byte of a record header (offset 0 to 7) to a random value. */
    private static byte[] headerByte(byte[] bytes, int[] starts, Random random, int offset) {
        if (starts.length == 0) {
            return flipBit(bytes, random);
        }
        int at = starts[random.nextInt(starts.length)] + offset;
        if (at >= bytes.length) {
            return bytes;
        }
        byte[] copy = bytes.clone();
        copy[at] = (byte) random.nextInt(256);
        return copy;
    }
}
