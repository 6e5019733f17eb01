package io.fastcgibridge.client;

import static io.fastcgibridge.testing.ScriptedFastCgiServer.awaitClientClose;
import static io.fastcgibridge.testing.ScriptedFastCgiServer.concat;
import static io.fastcgibridge.testing.ScriptedFastCgiServer.endRequest;
import static io.fastcgibridge.testing.ScriptedFastCgiServer.respond;
import static io.fastcgibridge.testing.ScriptedFastCgiServer.response;
import static io.fastcgibridge.testing.ScriptedFastCgiServer.stderr;
import static io.fastcgibridge.testing.ScriptedFastCgiServer.stdout;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fastcgibridge.client.FastCgiException.Code;
import io.fastcgibridge.protocol.ProtocolStatus;
import io.fastcgibridge.testing.ScriptedFastCgiServer;
import io.fastcgibridge.testing.ScriptedFastCgiServer.Behaviour;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client against a scripted FastCGI server that does what PHP-FPM will not: garbage, refusals, oversized
 * headers, stalls, resets and stray bytes. Every failure must be a {@link FastCgiException} with the right code
 * and the backend's address in its message, never a hang and never a truncated success.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FaultyBackendTest {

    private static final FastCgiRequest REQUEST = FastCgiRequest.get("/srv/x.php");
    private static final String HEADERS = "Content-Type: text/plain\r\n\r\n";
    private static final Duration TIGHT = Duration.ofMillis(500);

    private static FastCgiClient client(ScriptedFastCgiServer server) {
        return client(server, settings -> settings);
    }

    private static FastCgiClient client(ScriptedFastCgiServer server, UnaryOperator<ClientSettings.Builder> tweak) {
        return new FastCgiClient(tweak.apply(ClientSettings.builder()
                .backends(server.address())
                .ioThreads(1)
                .connectTimeout(TIGHT)
                .readTimeout(TIGHT)
                .writeTimeout(TIGHT)
                .poolWaitTimeout(TIGHT)).build());
    }

    /** Runs {@link #REQUEST} and checks that it fails with {@code code} and a message naming the backend. */
    private static FastCgiException assertFails(Code code, FastCgiClient client, ScriptedFastCgiServer server) {
        return assertFails(code, () -> client.execute(REQUEST), server);
    }

    private static FastCgiException assertFails(Code code, Executable call,
            ScriptedFastCgiServer server) {
        FastCgiException failure = assertThrows(FastCgiException.class, call);
        assertEquals(code, failure.code(), () -> "failure was: " + failure);
        assertTrue(failure.getMessage().contains(server.address()),
                () -> "the message should name the backend " + server.address() + ": " + failure.getMessage());
        return failure;
    }

    /** One request against a server answering with {@code behaviour}; its failure, checked as above. */
    private static FastCgiException failureFrom(Behaviour behaviour, Code code,
            UnaryOperator<ClientSettings.Builder> tweak) throws Exception {
        try (ScriptedFastCgiServer server = ScriptedFastCgiServer.start(behaviour);
                FastCgiClient client = client(server, tweak)) {
            return assertFails(code, client, server);
        }
    }

    private static FastCgiException failureFrom(Behaviour behaviour, Code code) throws Exception {
        return failureFrom(behaviour, code, settings -> settings);
    }

    private static FastCgiResponse responseTo(Behaviour behaviour) throws Exception {
        try (ScriptedFastCgiServer server = ScriptedFastCgiServer.start(behaviour);
                FastCgiClient client = client(server)) {
            return client.execute(REQUEST);
        }
    }

    // ---------------------------------------------------------------- malformed records and refusals

    @Test
    void garbageFromTheBackendIsAProtocolErrorNotAHang() throws Exception {
        failureFrom((request, out, socket) -> out.write("HTTP/1.1 200 OK\r\n\r\n".getBytes(US_ASCII)),
                Code.PROTOCOL_ERROR);
    }

    @Test
    void aRecordOfAnotherProtocolVersionIsAProtocolError() throws Exception {
        FastCgiException failure = failureFrom((request, out, socket) -> {
            byte[] record = stdout(request.requestId(), HEADERS + "hello");
            record[0] = 2;
            out.write(record);
        }, Code.PROTOCOL_ERROR);
        assertTrue(failure.getMessage().contains("version 2"), failure.getMessage());
    }

    @Test
    void outputForAnotherRequestIdIsAProtocolErrorNamingTheId() throws Exception {
        FastCgiException failure = failureFrom(
                (request, out, socket) -> out.write(response(7, HEADERS + "not yours")), Code.PROTOCOL_ERROR);
        assertTrue(failure.getMessage().contains("request id 7"), failure.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolStatus.class, names = {"OVERLOADED", "CANT_MPX_CONN", "UNKNOWN_ROLE"})
    void aRefusalInEndRequestFailsWithTheMatchingCode(ProtocolStatus refusal) throws Exception {
        failureFrom((request, out, socket) -> out.write(endRequest(request.requestId(), 0, refusal)),
                Code.valueOf(refusal.name()));
    }

    @Test
    void headersLargerThanTheLimitAreRefusedNotBufferedWithoutEnd() throws Exception {
        String endless = "X-Big: " + "a".repeat(4096) + "\r\n"; // no blank line: the headers never end
        failureFrom((request, out, socket) -> out.write(stdout(request.requestId(), endless)),
                Code.RESPONSE_TOO_LARGE, settings -> settings.maxHeaderBytes(1024));
    }

    @Test
    void aHeaderLineWithoutAColonIsAProtocolError() throws Exception {
        FastCgiException failure = failureFrom(respond("Content-Type: text/plain\r\nthis is no header\r\n\r\nbody"),
                Code.PROTOCOL_ERROR);
        assertTrue(failure.getMessage().contains("this is no header"), failure.getMessage());
    }

    // ---------------------------------------------------------------- broken connections and stalls

    @Test
    void aBackendThatHangsUpMidBodyIsAResetNeverATruncatedSuccess() throws Exception {
        failureFrom((request, out, socket) -> {
            out.write(stdout(request.requestId(), "Content-Length: 2000\r\n\r\n" + "x".repeat(1000)));
            socket.close();
        }, Code.CONNECTION_RESET);
    }

    @Test
    void aBackendThatResetsMidResponseIsAConnectionReset() throws Exception {
        failureFrom((request, out, socket) -> {
            out.write(stdout(request.requestId(), HEADERS + "x".repeat(1000)));
            socket.setSoLinger(true, 0);
            socket.close();
        }, Code.CONNECTION_RESET);
    }

    @Test
    void aBackendThatHangsUpAtOnceIsAConnectionReset() throws Exception {
        try (ScriptedFastCgiServer server = ScriptedFastCgiServer.startRaw(ScriptedFastCgiServer.CLOSE_IMMEDIATELY);
                FastCgiClient client = client(server)) {
            assertFails(Code.CONNECTION_RESET, client, server);
        }
    }

    @Test
    void aBackendThatResetsOnReceivingTheRequestIsAConnectionReset() throws Exception {
        failureFrom((request, out, socket) -> {
            socket.setSoLinger(true, 0);
            socket.close();
        }, Code.CONNECTION_RESET);
    }

    @Test
    void aBackendThatResetsAtOnceFailsFastAsAConnectionFailure() throws Exception {
        try (ScriptedFastCgiServer server = ScriptedFastCgiServer.startRaw(ScriptedFastCgiServer.RESET_IMMEDIATELY);
                FastCgiClient client = client(server)) {
            FastCgiException failure = assertThrows(FastCgiException.class, () -> client.execute(REQUEST));
            // Which code depends on a race: a reset that beats the client's finishConnect() is reported as a
            // connect failure (CONNECT_REFUSED, "Connection reset by peer"); a later one as CONNECTION_RESET.
            assertTrue(failure.code() == Code.CONNECTION_RESET || failure.code() == Code.CONNECT_REFUSED,
                    failure::toString);
            assertTrue(failure.getMessage().contains(server.address()), failure.getMessage());
        }
    }

    @Test
    void aBackendThatNeverAnswersTimesOutAfterTheReadTimeout() throws Exception {
        try (ScriptedFastCgiServer server = ScriptedFastCgiServer.startRaw(ScriptedFastCgiServer.NEVER_READ);
                FastCgiClient client = client(server)) {
            long start = System.nanoTime();
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertFails(Code.READ_TIMEOUT, client, server));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= 450, "gave up after " + millis + " ms, before the 500 ms read timeout");
            assertEquals(1, server.acceptedConnections());
        }
    }

    @Test
    void aBackendThatTakesNoRequestBytesTimesOutAfterTheWriteTimeout() throws Exception {
        FastCgiRequest upload = REQUEST.withBody("application/octet-stream", new byte[32 << 20]);
        try (ScriptedFastCgiServer server = ScriptedFastCgiServer.startRaw(ScriptedFastCgiServer.NEVER_READ);
                FastCgiClient client = client(server, settings -> settings.readTimeout(Duration.ofSeconds(30)))) {
            assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> assertFails(Code.WRITE_TIMEOUT, () -> client.execute(upload), server));
        }
    }

    @Test
    void aBackendThatStallsAfterTheHeadersHitsTheRequestTimeout() throws Exception {
        long start = System.nanoTime();
        failureFrom((request, out, socket) -> {
            out.write(stdout(request.requestId(), HEADERS + "half of it"));
            awaitClientClose(socket);
        }, Code.REQUEST_TIMEOUT, settings -> settings.requestTimeout(Duration.ofMillis(800))
                .readTimeout(Duration.ofSeconds(10)));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis >= 750 && millis < 5000, "took " + millis + " ms with an 800 ms request timeout");
    }

    // ---------------------------------------------------------------- CGI status and app status

    @Test
    void aLocationWithoutStatusIsAFoundRedirect() throws Exception {
        FastCgiResponse response = responseTo(respond("Location: /x\r\n\r\n"));
        assertEquals(302, response.status());
        assertEquals("Found", response.reason());
        assertEquals("/x", response.headers().first("Location").orElseThrow());
    }

    @Test
    void aStatusHeaderSetsStatusAndItsUsualReason() throws Exception {
        FastCgiResponse response = responseTo(respond("Status: 418\r\n" + HEADERS + "short and stout"));
        assertEquals(418, response.status());
        assertEquals("I'm a teapot", response.reason());
        assertEquals("short and stout", response.bodyText());
    }

    @Test
    void theApplicationsExitStatusReachesTheResponse() throws Exception {
        FastCgiResponse response = responseTo((request, out, socket) -> out.write(concat(
                stdout(request.requestId(), HEADERS + "done"), stdout(request.requestId(), ""),
                endRequest(request.requestId(), 3, ProtocolStatus.REQUEST_COMPLETE))));
        assertEquals(3, response.appStatus());
        assertEquals("done", response.bodyText());
    }

    // ---------------------------------------------------------------- stderr

    private static final UnaryOperator<ClientSettings.Builder> STDERR_LIMIT = settings -> settings.maxStderrBytes(1024);

    private static Behaviour stderrThenOk(byte[] stderrBytes, int recordSize) {
        return (request, out, socket) -> {
            for (int at = 0; at < stderrBytes.length; at += recordSize) {
                out.write(stderr(request.requestId(), Arrays.copyOfRange(stderrBytes, at,
                        Math.min(stderrBytes.length, at + recordSize))));
            }
            out.write(response(request.requestId(), HEADERS + "ok"));
        };
    }

    @Test
    void stderrBeyondTheLimitFailsABufferedResponse() throws Exception {
        failureFrom(stderrThenOk("PHP Warning: too chatty\n".repeat(130).getBytes(US_ASCII), 1000),
                Code.RESPONSE_TOO_LARGE, STDERR_LIMIT);
    }

    @Test
    void stderrBeyondTheLimitIsStreamedInBoundedPieces() throws Exception {
        String sent = "PHP Notice: line of log\n".repeat(220); // 5,280 bytes in records of 700
        RecordingSink sink = streamed(stderrThenOk(sent.getBytes(US_ASCII), 700), STDERR_LIMIT);
        assertEquals(0, sink.done.get(5, TimeUnit.SECONDS));
        assertStderrPieces(sent, sink.stderr);
    }

    @Test
    void stderrStreamedInPiecesKeepsMultiByteCharactersWhole() throws Exception {
        // 42 bytes a line: some cuts every 1,024 bytes land inside two- and three-byte characters
        String sent = "Warnung: Größe überschritten – 5 €\n".repeat(150);
        RecordingSink sink = streamed(stderrThenOk(sent.getBytes(UTF_8), 700), STDERR_LIMIT);
        assertEquals(0, sink.done.get(5, TimeUnit.SECONDS));
        assertStderrPieces(sent, sink.stderr);
    }

    private static void assertStderrPieces(String sent, List<String> pieces) {
        String joined = String.join("", pieces);
        assertFalse(joined.contains("\uFFFD"), "a character was cut in two between pieces and replaced by U+FFFD");
        assertEquals(sent, joined);
        assertTrue(pieces.size() > 1, "pieces: " + pieces.size());
        for (String piece : pieces) {
            assertTrue(piece.getBytes(UTF_8).length <= 1024, "a piece of " + piece.getBytes(UTF_8).length + " bytes");
        }
    }

    private static RecordingSink streamed(Behaviour behaviour, UnaryOperator<ClientSettings.Builder> tweak)
            throws Exception {
        try (ScriptedFastCgiServer server = ScriptedFastCgiServer.start(behaviour);
                FastCgiClient client = client(server, tweak)) {
            RecordingSink sink = new RecordingSink();
            client.send(REQUEST, sink);
            sink.done.handle((status, failure) -> null).get(5, TimeUnit.SECONDS);
            return sink;
        }
    }

    // ---------------------------------------------------------------- kept connections

    @Test
    void junkAfterEndRequestDoesNotSpoilTheResponseButRetiresTheConnection() throws Exception {
        try (ScriptedFastCgiServer server = ScriptedFastCgiServer.start((request, out, socket) -> out.write(concat(
                        response(request.requestId(), HEADERS + "fine"), "trailing junk".getBytes(US_ASCII))));
                FastCgiClient client = client(server)) {
            assertEquals("fine", client.execute(REQUEST).bodyText());
            assertEquals("fine", client.execute(REQUEST).bodyText());
            assertEquals(2, server.acceptedConnections(), "the polluted connection must not serve the next request");
        }
    }

    @Test
    void aStrayRecordAfterEndRequestRetiresTheConnection() throws Exception {
        try (ScriptedFastCgiServer server = ScriptedFastCgiServer.start((request, out, socket) -> out.write(concat(
                        response(request.requestId(), HEADERS + "fine"), stdout(request.requestId(), "8 bytes!"))));
                FastCgiClient client = client(server)) {
            assertEquals("fine", client.execute(REQUEST).bodyText());
            assertEquals("fine", client.execute(REQUEST).bodyText());
            assertEquals(2, server.acceptedConnections(), "the polluted connection must not serve the next request");
        }
    }

    @Test
    void aBackendClosingKeptConnectionsAfterEachResponseIsRetriedTransparently() throws Exception {
        try (ScriptedFastCgiServer server = ScriptedFastCgiServer.start((request, out, socket) -> {
                    out.write(response(request.requestId(), HEADERS + "served"));
                    socket.close(); // like PHP-FPM's pm.max_requests = 1
                });
                FastCgiClient client = client(server)) {
            for (int i = 0; i < 20; i++) {
                assertEquals("served", client.execute(REQUEST).bodyText(), "request " + i);
            }
            assertEquals(20, server.requests().size());
            assertTrue(server.requests().stream().allMatch(ScriptedFastCgiServer.ReceivedRequest::keepConn));
        }
    }

    // ---------------------------------------------------------------- request size

    @Test
    void aLargeParamIsSplitOverRecordsAndArrivesIntact() throws Exception {
        String big = "x".repeat(200 * 1024);
        try (ScriptedFastCgiServer server = ScriptedFastCgiServer.start(respond(HEADERS + "got it"));
                FastCgiClient client = client(server)) {
            assertEquals("got it", client.execute(REQUEST.withParam("BIG", big)).bodyText());
            assertEquals(big, server.requests().get(0).params().get("BIG"));
            assertEquals("/srv/x.php", server.requests().get(0).params().get("SCRIPT_FILENAME"));
        }
    }

    @Test
    void paramsOverTheLimitFailWithoutConnecting() throws Exception {
        try (ScriptedFastCgiServer server = ScriptedFastCgiServer.start(respond(HEADERS + "unreachable"));
                FastCgiClient client = client(server, settings -> settings.maxParamsBytes(8 * 1024))) {
            FastCgiException failure = assertThrows(FastCgiException.class,
                    () -> client.execute(REQUEST.withParam("BIG", "x".repeat(16 * 1024))));
            assertEquals(Code.REQUEST_TOO_LARGE, failure.code(), failure::toString);
            assertTrue(failure.getMessage().contains("8192"), failure.getMessage());
            Thread.sleep(100);
            assertEquals(0, server.acceptedConnections());
        }
    }

    // ---------------------------------------------------------------- pool and cancel

    /** A server that takes the request and then answers nothing until the client goes away. */
    private static ScriptedFastCgiServer stallingServer() throws Exception {
        return ScriptedFastCgiServer.start((request, out, socket) -> awaitClientClose(socket));
    }

    private static void awaitRequests(ScriptedFastCgiServer server, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.requests().size() < count) {
            assertTrue(System.nanoTime() < deadline, "the server never received request " + count);
            Thread.sleep(5);
        }
    }

    @Test
    void withNoRoomToWaitASecondRequestFailsAtOnceWithPoolExhausted() throws Exception {
        try (ScriptedFastCgiServer server = stallingServer();
                FastCgiClient client = client(server, settings -> settings.maxConnections(1).maxWaiters(0)
                        .readTimeout(Duration.ofSeconds(5)))) {
            CompletableFuture<FastCgiResponse> first = client.executeAsync(REQUEST);
            awaitRequests(server, 1);
            long start = System.nanoTime();
            assertFails(Code.POOL_EXHAUSTED, client, server);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 200, "refusing took " + millis + " ms");
            assertFalse(first.isDone(), "the first request is still running");
        }
    }

    @Test
    void aWaitingRequestFailsWithPoolExhaustedAfterThePoolWaitTimeout() throws Exception {
        try (ScriptedFastCgiServer server = stallingServer();
                FastCgiClient client = client(server, settings -> settings.maxConnections(1).maxWaiters(5)
                        .poolWaitTimeout(Duration.ofMillis(300)).readTimeout(Duration.ofSeconds(5)))) {
            CompletableFuture<FastCgiResponse> first = client.executeAsync(REQUEST);
            awaitRequests(server, 1);
            long start = System.nanoTime();
            assertFails(Code.POOL_EXHAUSTED, client, server);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= 280 && millis < 1500, "waited " + millis + " ms with a 300 ms pool wait timeout");
            assertFalse(first.isDone(), "the first request is still running");
            assertEquals(1, server.acceptedConnections());
        }
    }

    @Test
    void cancellingAStalledCallFailsItAndClosesTheBackendConnection() throws Exception {
        CompletableFuture<Boolean> serverSawEnd = new CompletableFuture<>();
        try (ScriptedFastCgiServer server = ScriptedFastCgiServer.start((request, out, socket) -> {
                    out.write(stdout(request.requestId(), HEADERS + "working on it"));
                    serverSawEnd.complete(awaitClientClose(socket));
                });
                FastCgiClient client = client(server, settings -> settings.readTimeout(Duration.ofSeconds(5)))) {
            RecordingSink sink = new RecordingSink();
            FastCgiCall call = client.send(REQUEST, sink);
            awaitRequests(server, 1);
            call.cancel();
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> sink.done.get(2, TimeUnit.SECONDS));
            FastCgiException failure = assertInstanceOf(FastCgiException.class, failed.getCause());
            assertEquals(Code.CANCELLED, failure.code(), failure::toString);
            assertTrue(failure.getMessage().contains(server.address()), failure.getMessage());
            assertTrue(serverSawEnd.get(2, TimeUnit.SECONDS), "the server's read should return -1 (a clean close)");
        }
    }

    /** Records what a streaming response delivers; {@link #done} ends with the app status or the failure. */
    private static final class RecordingSink implements ResponseSink {
        final CompletableFuture<Integer> done = new CompletableFuture<>();
        final List<String> stderr = new CopyOnWriteArrayList<>();

        @Override
        public void onHeaders(ResponseHead head) {
        }

        @Override
        public boolean onBody(ByteBuffer chunk) {
            chunk.position(chunk.limit());
            return true;
        }

        @Override
        public void onStderr(String text) {
            stderr.add(text);
        }

        @Override
        public void onComplete(int appStatus) {
            done.complete(appStatus);
        }

        @Override
        public void onFailure(FastCgiException failure) {
            done.completeExceptionally(failure);
        }
    }
}
