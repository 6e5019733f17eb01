package io.fastcgibridge.testing;

import io.fastcgibridge.protocol.FastCgi;
import io.fastcgibridge.protocol.NameValuePairs;
import io.fastcgibridge.protocol.ProtocolStatus;
import io.fastcgibridge.protocol.RecordDecoder;
import io.fastcgibridge.protocol.RecordEncoder;
import io.fastcgibridge.protocol.RecordType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A scripted FastCGI server for faults PHP-FPM will not produce: garbage records, stalls, resets. A thread per
 * accepted connection reads one request at a time with the project's {@link RecordDecoder} and runs the test's
 * {@link Behaviour}; on a kept connection it then waits for the next request until the client closes. Like
 * PHP-FPM, it answers an {@code FCGI_GET_VALUES} that follows a request once it has answered the request (the
 * client's reuse probe), unless started with {@link #startIgnoringProbes}.
 */
public final class ScriptedFastCgiServer implements AutoCloseable {

    /** What the client sent: BEGIN_REQUEST's id and keep-alive flag, the decoded params, the stdin bytes. */
    public record ReceivedRequest(int requestId, boolean keepConn, Map<String, String> params, byte[] stdin) {
    }

    /** Answers one request by writing to {@code out}; it may also stall, close or reset {@code socket}. */
    public interface Behaviour {
        void respond(ReceivedRequest request, OutputStream out, Socket socket) throws IOException;
    }

    /** Acts on a new connection before anything is read; the connection is closed when it returns. */
    public interface OnAccept {
        void accepted(Socket socket) throws Exception;
    }

    public static final OnAccept CLOSE_IMMEDIATELY = socket -> { };
    public static final OnAccept RESET_IMMEDIATELY = socket -> socket.setSoLinger(true, 0);
    /** Reads and answers nothing until the server closes. */
    public static final OnAccept NEVER_READ = socket -> Thread.sleep(Long.MAX_VALUE);

    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final OnAccept script;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<ReceivedRequest> requests = new CopyOnWriteArrayList<>();

    private ScriptedFastCgiServer(Behaviour behaviour, OnAccept onAccept, boolean answerProbes) throws IOException {
        this.script = onAccept != null ? onAccept : socket -> serveRequests(socket, behaviour, answerProbes);
        threads.execute(this::acceptLoop);
    }

    /** A server that reads each request and answers it with {@code behaviour}. */
    public static ScriptedFastCgiServer start(Behaviour behaviour) throws IOException {
        return new ScriptedFastCgiServer(behaviour, null, true);
    }

    /** A server that answers requests as {@link #start} does but never an {@code FCGI_GET_VALUES}. */
    public static ScriptedFastCgiServer startIgnoringProbes(Behaviour behaviour) throws IOException {
        return new ScriptedFastCgiServer(behaviour, null, false);
    }

    /** A server that reads no request: {@code onAccept} alone decides what each connection sees. */
    public static ScriptedFastCgiServer startRaw(OnAccept onAccept) throws IOException {
        return new ScriptedFastCgiServer(null, onAccept, false);
    }

    /** The answer PHP-FPM gives to {@code FCGI_GET_VALUES}: it does not multiplex. */
    public static byte[] getValuesResult() {
        ByteBuffer out = ByteBuffer.allocate(64);
        RecordEncoder.getValuesResult(out, Map.of(FastCgi.MPXS_CONNS, "0"));
        return Arrays.copyOf(out.array(), out.position());
    }

    /** {@code 127.0.0.1:PORT}, as a client's backend address. */
    public String address() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    public int acceptedConnections() {
        return sockets.size();
    }

    /** Every request read whole so far, in order. */
    public List<ReceivedRequest> requests() {
        return List.copyOf(requests);
    }

    /** STDOUT records holding {@code text} in UTF-8 (STDERR: {@code bytes}); empty content ends the stream. */
    public static byte[] stdout(int id, String text) {
        return stream(RecordType.STDOUT, id, text.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] stderr(int id, byte[] bytes) {
        return stream(RecordType.STDERR, id, bytes);
    }

    public static byte[] endRequest(int id, int appStatus, ProtocolStatus status) {
        ByteBuffer out = ByteBuffer.allocate(16);
        RecordEncoder.endRequest(out, id, appStatus, status);
        return out.array();
    }

    /** A whole successful response (and a behaviour giving it): {@code cgiOutput} on stdout, then END_REQUEST. */
    public static byte[] response(int id, String cgiOutput) {
        return concat(stdout(id, cgiOutput), stdout(id, ""), endRequest(id, 0, ProtocolStatus.REQUEST_COMPLETE));
    }

    public static Behaviour respond(String cgiOutput) {
        return (request, out, socket) -> out.write(response(request.requestId(), cgiOutput));
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        Arrays.stream(parts).forEach(all::writeBytes);
        return all.toByteArray();
    }

    /** Stalls until the client closes the connection: true when a read saw its end (-1), false on a reset. */
    public static boolean awaitClientClose(Socket socket) {
        try (InputStream in = socket.getInputStream()) {
            return in.transferTo(OutputStream.nullOutputStream()) >= 0; // reads whatever else comes, until -1
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] stream(RecordType type, int id, byte[] bytes) {
        ByteBuffer content = ByteBuffer.wrap(bytes);
        ByteBuffer out = ByteBuffer.allocate(bytes.length + (bytes.length / FastCgi.MAX_CONTENT_LENGTH + 1) * 16);
        do {
            RecordEncoder.stream(out, type, id, content);
        } while (content.hasRemaining());
        return Arrays.copyOf(out.array(), out.position());
    }

    private void acceptLoop() {
        try {
            while (true) {
                Socket socket = server.accept();
                sockets.add(socket);
                threads.execute(() -> {
                    try (socket) {
                        script.accepted(socket);
                    } catch (Exception e) {
                        // the client went away, the script broke the connection on purpose, or close() interrupted it
                    }
                });
            }
        } catch (IOException | RuntimeException e) {
            // close() closed the server socket, and the threads with it
        }
    }

    /** Reads requests off one connection and answers each; bytes after a request's empty STDIN are the next's. */
    private void serveRequests(Socket socket, Behaviour behaviour, boolean answerProbes) throws IOException {
        var listener = new RecordDecoder.Listener() {
            final ByteArrayOutputStream params = new ByteArrayOutputStream();
            final ByteArrayOutputStream stdin = new ByteArrayOutputStream();
            int requestId;
            boolean keepConn;

            @Override
            public void onBeginRequest(int id, int role, boolean keep) {
                requestId = id;
                keepConn = keep;
                params.reset();
                stdin.reset();
            }

            @Override
            public boolean onParams(int id, ByteBuffer content) {
                params.write(content.array(), content.arrayOffset() + content.position(), content.remaining());
                return true;
            }

            @Override
            public boolean onStdin(int id, ByteBuffer content) {
                stdin.write(content.array(), content.arrayOffset() + content.position(), content.remaining());
                return content.hasRemaining(); // the empty STDIN ends the request: pause there
            }

            @Override
            public void onGetValues(List<String> names) {
                if (answerProbes && !socket.isClosed()) {
                    try {
                        socket.getOutputStream().write(getValuesResult());
                    } catch (IOException e) {
                        // the client went away; the read loop ends
                    }
                }
            }
        };
        RecordDecoder decoder = new RecordDecoder(listener);
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[65536];
        for (int n = 0; n >= 0; n = decoder.hasFailed() ? -1 : in.read(chunk)) {
            ByteBuffer input = ByteBuffer.wrap(chunk, 0, n);
            while (!decoder.decode(input)) { // paused after a request's empty STDIN; the rest is the next's
                Map<String, String> params = NameValuePairs.decode(ByteBuffer.wrap(listener.params.toByteArray()),
                        StandardCharsets.UTF_8);
                ReceivedRequest request = new ReceivedRequest(listener.requestId, listener.keepConn, params,
                        listener.stdin.toByteArray());
                requests.add(request);
                behaviour.respond(request, socket.getOutputStream(), socket);
                if (!request.keepConn() || socket.isClosed()) {
                    return;
                }
            }
        }
    }

    /** Closes the listening socket and every connection, and waits for their threads. */
    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow(); // interrupts the threads, and refuses any connection accepted from now on
        for (Socket socket : sockets) {
            socket.close();
        }
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
