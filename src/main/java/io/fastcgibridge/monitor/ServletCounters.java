package io.fastcgibridge.monitor;

import io.fastcgibridge.client.FastCgiAddress;
import io.fastcgibridge.client.FastCgiException;
import io.fastcgibridge.client.PoolState;
import io.fastcgibridge.servlet.ForwardResult;
import io.fastcgibridge.servlet.RequestOutcome;
import io.fastcgibridge.servlet.RequestRecorder;
import io.fastcgibridge.servlet.Worker;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything one bridge servlet counts: per backend {@link BackendCounters}, and the requests it
 * answered without PHP. Its worker gives the connection figures, read when asked.
 */
public final class ServletCounters implements RequestRecorder {

    private final String application;
    private final Worker worker;
    private final Map<FastCgiAddress, BackendCounters> backends = new LinkedHashMap<>();
    private final LongAdder staticRequests = new LongAdder();
    private final LongAdder vetoedRequests = new LongAdder();

    ServletCounters(String application, Worker worker) {
        this.application = application;
        this.worker = worker;
        worker.backends().forEach(backend -> backends.put(backend, new BackendCounters(backend)));
    }

    /** The web application, as Tomcat names it ({@code ROOT}, {@code shop}). */
    public String application() {
        return application;
    }

    /** The servlet's name. */
    public String servlet() {
        return worker.name();
    }

    /** One per backend, in the configured order. */
    public List<BackendCounters> backends() {
        return List.copyOf(backends.values());
    }

    /** The backends' connections now. */
    public List<PoolState> pools() {
        return worker.pools();
    }

    /** This backend's connections now, or {@code null} for a backend not of this servlet. */
    public PoolState pool(FastCgiAddress backend) {
        for (PoolState state : worker.pools()) {
            if (state.backend().equals(backend)) {
                return state;
            }
        }
        return null;
    }

    /** Takes a backend marked down back into use. */
    public boolean markUp(FastCgiAddress backend) {
        return worker.markUp(backend);
    }

    /** Static files served. */
    public long staticRequests() {
        return staticRequests.sum();
    }

    /** Requests an observer answered itself. */
    public long vetoedRequests() {
        return vetoedRequests.sum();
    }

    @Override
    public void forwarded(ForwardResult result, long nanos) {
        // A request refused before any backend was chosen (a body over max-body) is not a backend's.
        BackendCounters counters = result.backend() == null ? null : backends.get(result.backend());
        if (counters != null) {
            counters.forwarded(result, nanos);
        }
    }

    @Override
    public void failed(FastCgiAddress backend, FastCgiException.Code code) {
        BackendCounters counters = backends.get(backend);
        if (counters != null) {
            counters.failed(code);
        }
    }

    @Override
    public void answered(RequestOutcome outcome) {
        if (outcome == RequestOutcome.STATIC) {
            staticRequests.increment();
        } else if (outcome == RequestOutcome.VETOED) {
            vetoedRequests.increment();
        }
    }
}
