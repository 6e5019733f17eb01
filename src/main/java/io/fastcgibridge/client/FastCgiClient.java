package io.fastcgibridge.client;

import io.fastcgibridge.client.FastCgiException.Code;
import io.fastcgibridge.protocol.NameValuePairs;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A non-blocking FastCGI client: a few selector threads, a pool of kept connections per backend,
 * requests and responses streamed with backpressure. Thread-safe; create one per application and
 * {@link #close()} it at the end.
 *
 * <pre>{@code
 * try (FastCgiClient client = new FastCgiClient(ClientSettings.forBackends("unix:///run/php/fpm.sock"))) {
 *     FastCgiResponse response = client.execute(FastCgiRequest.get("/srv/app/index.php"));
 * }
 * String body = FastCgiClient.call("127.0.0.1:9000", "/srv/greeter.php", Map.of("who", "Java"));
 * }</pre>
 */
public final class FastCgiClient implements AutoCloseable {

    private final ClientSettings settings;
    private final EventLoopGroup loops;
    private final Backends backends;

    /** A client whose I/O threads are called {@code fastcgi-io-0}, {@code fastcgi-io-1}, ... */
    public FastCgiClient(ClientSettings settings) {
        this(settings, "");
    }

    /**
     * A client whose I/O threads are called {@code fastcgi-io-NAME-0}, {@code fastcgi-io-NAME-1}, ...,
     * so that a thread dump says whose they are (the bridge passes its web application's name).
     */
    public FastCgiClient(ClientSettings settings, String name) {
        this(settings, name, ClientObserver.NONE);
    }

    /** A client named as above that reports failures to {@code observer} (monitoring). */
    public FastCgiClient(ClientSettings settings, String name, ClientObserver observer) {
        if (settings.backends().isEmpty()) {
            throw new IllegalArgumentException("no FastCGI backend given");
        }
        this.settings = settings;
        this.loops = new EventLoopGroup(settings.ioThreads(), "fastcgi-io-" + (name.isEmpty() ? "" : name + "-"));
        this.backends = new Backends(
                settings.backends().stream().map(address -> new ConnectionPool(address, loops, settings)).toList(),
                settings, observer);
        EventLoop housekeeping = loops.first();
        housekeeping.execute(() -> housekeeping.watch(this::cleanup));
        housekeeping.execute(() -> housekeeping.wakeAt(System.nanoTime()));
    }

    /**
     * Sends one request; the response streams to {@code sink}. Returns at once: the sink is called
     * on an I/O thread.
     */
    public FastCgiCall send(FastCgiRequest request, ResponseSink sink) {
        byte[] params;
        try {
            params = NameValuePairs.encode(request.params(), request.paramCharset(),
                    settings.maxParamsBytes());
        } catch (IllegalArgumentException e) {
            Exchange refused = new Exchange(request, new byte[0], sink, backends, loops.first(), settings);
            sink.onStart(refused);
            sink.onFailure(new FastCgiException(Code.REQUEST_TOO_LARGE, "the request's params are larger than "
                    + settings.maxParamsBytes() + " bytes"));
            return refused;
        }
        Exchange exchange = new Exchange(request, params, sink, backends, loops.first(), settings);
        sink.onStart(exchange);
        exchange.start();
        return exchange;
    }

    /** Sends one request and buffers its response (up to the buffered-body limit). */
    public CompletableFuture<FastCgiResponse> executeAsync(FastCgiRequest request) {
        BufferingSink sink = new BufferingSink(settings);
        send(request, sink);
        return sink.result();
    }

    /** Sends one request and waits for its whole response. */
    public FastCgiResponse execute(FastCgiRequest request) throws FastCgiException {
        CompletableFuture<FastCgiResponse> response = executeAsync(request);
        try {
            return response.get();
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw new FastCgiException(Code.CANCELLED, "interrupted while waiting for " + request, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof FastCgiException failure) {
                throw failure;
            }
            throw new IllegalStateException("unexpected failure of " + request, e.getCause());
        } catch (CancellationException e) {
            throw new FastCgiException(Code.CANCELLED, request + " was cancelled", e);
        }
    }

    /**
     * The quick call: runs {@code script} at {@code address} and returns its body. A non-empty
     * {@code post} is sent as a URL-encoded form (POST); an empty one makes a GET.
     */
    public static String call(String address, String script, Map<String, String> post) throws FastCgiException {
        FastCgiRequest request = post.isEmpty() ? FastCgiRequest.get(script) : FastCgiRequest.post(script, post);
        try (FastCgiClient client = new FastCgiClient(ClientSettings.forBackends(address).toBuilder()
                .maxConnections(1).ioThreads(1).build())) {
            return client.execute(request).bodyText();
        }
    }

    /** The backends in use. */
    public List<FastCgiAddress> backends() {
        return settings.backends();
    }

    /** Each backend's connections now: active, idle, waiting requests, marked down. */
    public List<PoolState> pools() {
        return backends.states(System.nanoTime());
    }

    /**
     * Takes a backend marked down (after refused connections) back into use at once, instead of at
     * the end of its down time. Returns false when {@code backend} is not one of this client's.
     */
    public boolean markUp(FastCgiAddress backend) {
        return backends.markUp(backend);
    }

    /** Fails waiting requests, closes idle connections and stops the I/O threads. */
    @Override
    public void close() {
        backends.pools().forEach(ConnectionPool::close);
        loops.shutdown();
    }

    private long cleanup(long now) {
        backends.pools().forEach(pool -> pool.cleanup(now));
        return now + 100_000_000L;
    }
}
