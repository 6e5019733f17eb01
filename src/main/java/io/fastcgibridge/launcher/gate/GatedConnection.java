package io.fastcgibridge.launcher.gate;

import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A connection whose request head has arrived whole, with every byte the gate read from it: the
 * head and whatever came with it (the start of a body, a pipelined request). Tomcat reads those
 * bytes first.
 */
public record GatedConnection(SocketChannel channel, ByteBuffer received) {
}
