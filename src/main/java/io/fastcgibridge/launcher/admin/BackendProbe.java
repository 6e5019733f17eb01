package io.fastcgibridge.launcher.admin;

import io.fastcgibridge.client.ClientSettings;
import io.fastcgibridge.client.FastCgiClient;
import io.fastcgibridge.client.FastCgiException;
import io.fastcgibridge.client.FastCgiRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Asks one PHP-FPM whether it serves (its ping path, else the launcher's own script) and how its
 * pool is doing (its status path). Each request has a connection of its own, closed at its end:
 * a kept idle connection would pin a PHP-FPM worker. {@code FCGI_GET_VALUES} is no probe: PHP-FPM
 * answers it from the master without any worker.
 */
final class BackendProbe implements AutoCloseable {

    private final ProbeTarget target;
    private final FastCgiClient client;
    private final Duration timeout;

    BackendProbe(ProbeTarget target, Duration timeout) {
        this.target = target;
        this.timeout = timeout;
        this.client = new FastCgiClient(ClientSettings.builder().backends(java.util.List.of(target.backend()))
                .maxConnections(2).maxWaiters(2).ioThreads(1).connectTimeout(timeout).requestTimeout(timeout)
                .poolWaitTimeout(timeout).downTime(Duration.ZERO).verifyReuse(false).build(), "probe");
    }

    ProbeTarget target() {
        return target;
    }

    /** Completes with {@code null} when the backend answered 200 in time, else with why not. */
    CompletableFuture<String> ping() {
        FastCgiRequest request = target.pingPath() != null ? path(target.pingPath(), "")
                : FastCgiRequest.get(target.pingScript().toString()).withKeepConn(false);
        return client.executeAsync(request)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((response, failure) -> failure != null ? why(failure)
                        : response.status() == 200 ? null : "answered " + response.status() + " to the ping");
    }

    /** PHP-FPM's status, or a failed future; only when a status path is configured. */
    CompletableFuture<FpmStatus> status() {
        return client.executeAsync(path(target.statusPath(), "json&full"))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(response -> FpmStatus.parse(response.bodyText()));
    }

    /** A request PHP-FPM answers itself, matched on its script name: no script file is read. */
    private FastCgiRequest path(String path, String query) {
        return FastCgiRequest.get(Path.of(path).toString())
                .withUri(query.isEmpty() ? path : path + "?" + query)
                .withKeepConn(false);
    }

    private String why(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        return cause instanceof FastCgiException e ? e.code().summary() + ": " + e.getMessage() : String.valueOf(cause);
    }

    @Override
    public void close() {
        client.close();
    }
}
