package io.fastcgibridge.client;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Everything a {@link FastCgiClient} can be configured with; the {@link Builder} holds the defaults. A duration of
 * zero turns that timeout off.
 *
 * @param backends where the application listens; several are balanced by {@link #balancing()}
 * @param balancing how a backend is chosen for each request
 * @param maxConnections per backend: PHP-FPM serves one request per connection, so more than its
 *     {@code pm.max_children} only queue inside PHP-FPM
 * @param maxWaiters requests that may wait for a connection per backend before POOL_EXHAUSTED
 * @param poolWaitTimeout how long a request waits for a free connection
 * @param idleTimeout an idle kept connection is closed after this, so it does not pin a worker
 * @param connectTimeout to open a connection
 * @param readTimeout the longest silence from the application once the request is sent
 * @param writeTimeout the longest the application may refuse to take request bytes
 * @param requestTimeout the whole request, from the first wait to the last byte
 * @param ioThreads selector threads
 * @param maxParamsBytes the encoded params of one request
 * @param maxHeaderBytes the CGI response headers of one response
 * @param maxStderrBytes stderr is delivered in pieces of at most this; a buffered response fails past it
 * @param maxBufferedBody the body a buffered response may hold
 * @param downTime how long a backend that refused connections is skipped before it is tried again
 * @param verifyReuse a kept connection is reused only once the backend showed that its worker is
 *     free: an {@code FCGI_GET_VALUES} sent behind each request, which PHP-FPM answers when its
 *     worker comes back for the next request (after any {@code fastcgi_finish_request()} tail);
 *     turn it off only for a server that answers it too early or never
 */
public record ClientSettings(
        List<FastCgiAddress> backends,
        Balancing balancing,
        int maxConnections,
        int maxWaiters,
        Duration poolWaitTimeout,
        Duration idleTimeout,
        Duration connectTimeout,
        Duration readTimeout,
        Duration writeTimeout,
        Duration requestTimeout,
        int ioThreads,
        int maxParamsBytes,
        int maxHeaderBytes,
        int maxStderrBytes,
        long maxBufferedBody,
        Duration downTime,
        boolean verifyReuse) {

    /** How a request picks its backend. */
    public enum Balancing { ROUND_ROBIN, LEAST_BUSY }

    /** The default number of connections per backend when nothing says how big the PHP-FPM pool is. */
    public static final int DEFAULT_MAX_CONNECTIONS = 8;

    public ClientSettings {
        backends = List.copyOf(backends);
        requirePositive("maxConnections", maxConnections);
        requirePositive("ioThreads", ioThreads);
        requirePositive("maxParamsBytes", maxParamsBytes);
        requirePositive("maxHeaderBytes", maxHeaderBytes);
        requirePositive("maxStderrBytes", maxStderrBytes);
        if (maxWaiters < 0) {
            throw new IllegalArgumentException("maxWaiters must not be negative");
        }
    }

    /** A builder holding the defaults, with no backend yet. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults for these addresses. */
    public static ClientSettings forBackends(String... addresses) {
        return builder().backends(addresses).build();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.backends = backends;
        builder.balancing = balancing;
        builder.maxConnections = maxConnections;
        builder.maxWaiters = maxWaiters;
        builder.poolWaitTimeout = poolWaitTimeout;
        builder.idleTimeout = idleTimeout;
        builder.connectTimeout = connectTimeout;
        builder.readTimeout = readTimeout;
        builder.writeTimeout = writeTimeout;
        builder.requestTimeout = requestTimeout;
        builder.ioThreads = ioThreads;
        builder.maxParamsBytes = maxParamsBytes;
        builder.maxHeaderBytes = maxHeaderBytes;
        builder.maxStderrBytes = maxStderrBytes;
        builder.maxBufferedBody = maxBufferedBody;
        builder.downTime = downTime;
        builder.verifyReuse = verifyReuse;
        return builder;
    }

    /** Collects settings; every field starts at its default. */
    public static final class Builder {
        private List<FastCgiAddress> backends = List.of();
        private Balancing balancing = Balancing.ROUND_ROBIN;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxWaiters = 1024;
        private Duration poolWaitTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(2);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(60);
        private Duration writeTimeout = Duration.ofSeconds(60);
        private Duration requestTimeout = Duration.ZERO;
        private int ioThreads = Math.min(2, Runtime.getRuntime().availableProcessors());
        private int maxParamsBytes = 1 << 20;
        private int maxHeaderBytes = 64 << 10;
        private int maxStderrBytes = 64 << 10;
        private long maxBufferedBody = 64L << 20;
        private Duration downTime = Duration.ofSeconds(5);
        private boolean verifyReuse = true;

        private Builder() {
        }

        /** Parses each address with {@link FastCgiAddress#parse}. */
        public Builder backends(String... addresses) {
            return backends(Arrays.stream(addresses).map(FastCgiAddress::parse).toList());
        }

        public Builder backends(List<FastCgiAddress> value) {
            this.backends = value;
            return this;
        }

        public Builder balancing(Balancing value) {
            this.balancing = value;
            return this;
        }

        public Builder maxConnections(int value) {
            this.maxConnections = value;
            return this;
        }

        public Builder maxWaiters(int value) {
            this.maxWaiters = value;
            return this;
        }

        public Builder poolWaitTimeout(Duration value) {
            this.poolWaitTimeout = value;
            return this;
        }

        public Builder idleTimeout(Duration value) {
            this.idleTimeout = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        public Builder readTimeout(Duration value) {
            this.readTimeout = value;
            return this;
        }

        public Builder writeTimeout(Duration value) {
            this.writeTimeout = value;
            return this;
        }

        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        public Builder ioThreads(int value) {
            this.ioThreads = value;
            return this;
        }

        public Builder maxParamsBytes(int value) {
            this.maxParamsBytes = value;
            return this;
        }

        public Builder maxHeaderBytes(int value) {
            this.maxHeaderBytes = value;
            return this;
        }

        public Builder maxStderrBytes(int value) {
            this.maxStderrBytes = value;
            return this;
        }

        public Builder maxBufferedBody(long value) {
            this.maxBufferedBody = value;
            return this;
        }

        public Builder downTime(Duration value) {
            this.downTime = value;
            return this;
        }

        public Builder verifyReuse(boolean value) {
            this.verifyReuse = value;
            return this;
        }

        public ClientSettings build() {
            return new ClientSettings(backends, balancing, maxConnections, maxWaiters, poolWaitTimeout, idleTimeout,
                    connectTimeout, readTimeout, writeTimeout, requestTimeout, ioThreads, maxParamsBytes,
                    maxHeaderBytes, maxStderrBytes, maxBufferedBody, downTime, verifyReuse);
        }
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
