package io.fastcgibridge.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The name-value pair format of PARAMS and GET_VALUES: each length in one byte when below 128,
 * else in four bytes with the top bit set, then the name and value bytes.
 */
public final class NameValuePairs {

    /** The largest length the four-byte form can carry. */
    public static final int MAX_LENGTH = Integer.MAX_VALUE;

    private NameValuePairs() {
    }

    /** The bytes a length takes: one below 128, else four. */
    public static int lengthSize(int length) {
        return length < 0x80 ? 1 : 4;
    }

    /** Writes one pair. */
    public static void put(ByteBuffer out, byte[] name, byte[] value) {
        putLength(out, name.length);
        putLength(out, value.length);
        out.put(name).put(value);
    }

    /**
     * Encodes pairs in iteration order.
     *
     * @throws IllegalArgumentException when the encoding would exceed {@code maxBytes}
     */
    public static byte[] encode(Map<String, String> pairs, Charset charset, int maxBytes) {
        byte[][] names = new byte[pairs.size()][];
        byte[][] values = new byte[pairs.size()][];
        long total = 0;
        int i = 0;
        for (Map.Entry<String, String> pair : pairs.entrySet()) {
            names[i] = pair.getKey().getBytes(charset);
            values[i] = pair.getValue().getBytes(charset);
            total += lengthSize(names[i].length) + lengthSize(values[i].length) + names[i].length + values[i].length;
            if (total > maxBytes) {
                throw new IllegalArgumentException("params exceed the limit of " + maxBytes + " bytes");
            }
            i++;
        }
        ByteBuffer out = ByteBuffer.allocate((int) total);
        for (int j = 0; j < names.length; j++) {
            put(out, names[j], values[j]);
        }
        return out.array();
    }

    /**
     * Decodes every pair in {@code in}, which must hold whole pairs only. Later duplicates of a name
     * replace earlier ones.
     */
    public static Map<String, String> decode(ByteBuffer in, Charset charset) throws ProtocolException {
        Map<String, String> pairs = new LinkedHashMap<>();
        while (in.hasRemaining()) {
            int nameLength = getLength(in);
            int valueLength = getLength(in);
            if ((long) nameLength + valueLength > in.remaining()) {
                throw new ProtocolException("name-value pair of " + nameLength + " + " + valueLength
                        + " bytes overruns its content (" + in.remaining() + " bytes left)");
            }
            String name = string(in, nameLength, charset);
            pairs.put(name, string(in, valueLength, charset));
        }
        return pairs;
    }

    private static void putLength(ByteBuffer out, int length) {
        if (length < 0x80) {
            out.put((byte) length);
        } else {
            out.putInt(length | 0x8000_0000);
        }
    }

    private static int getLength(ByteBuffer in) throws ProtocolException {
        if (!in.hasRemaining()) {
            throw new ProtocolException("name-value pair cut short in its length");
        }
        int first = in.get(in.position()) & 0xFF;
        if (first < 0x80) {
            in.get();
            return first;
        }
        if (in.remaining() < 4) {
            throw new ProtocolException("name-value pair cut short in its four-byte length");
        }
        return in.getInt() & 0x7FFF_FFFF;
    }

    private static String string(ByteBuffer in, int length, Charset charset) {
        String text;
        if (in.hasArray()) {
            text = new String(in.array(), in.arrayOffset() + in.position(), length, charset);
            in.position(in.position() + length);
        } else {
            byte[] bytes = new byte[length];
            in.get(bytes);
            text = new String(bytes, charset);
        }
        return text;
    }
}
