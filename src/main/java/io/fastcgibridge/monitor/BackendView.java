package io.fastcgibridge.monitor;

import io.fastcgibridge.client.FastCgiException;
import io.fastcgibridge.client.PoolState;
import io.fastcgibridge.servlet.RequestOutcome;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The {@link BackendMXBean} of one backend: reads its counters and pool when asked. */
final class BackendView implements BackendMXBean {

    private final ServletCounters servlet;
    private final BackendCounters counters;

    BackendView(ServletCounters servlet, BackendCounters counters) {
        this.servlet = servlet;
        this.counters = counters;
    }

    @Override
    public String getApplication() {
        return servlet.application();
    }

    @Override
    public String getServlet() {
        return servlet.servlet();
    }

    @Override
    public String getAddress() {
        return counters.backend().toString();
    }

    @Override
    public int getActiveConnections() {
        PoolState pool = pool();
        return pool == null ? 0 : pool.active();
    }

    @Override
    public int getIdleConnections() {
        PoolState pool = pool();
        return pool == null ? 0 : pool.idle();
    }

    @Override
    public int getWaitingRequests() {
        PoolState pool = pool();
        return pool == null ? 0 : pool.waiting();
    }

    @Override
    public boolean isDown() {
        PoolState pool = pool();
        return pool != null && pool.down();
    }

    @Override
    public long getCompletedRequests() {
        return counters.requests(RequestOutcome.COMPLETED);
    }

    @Override
    public long getFailedRequests() {
        return counters.requests(RequestOutcome.FAILED);
    }

    @Override
    public long getAbortedRequests() {
        return counters.requests(RequestOutcome.ABORTED);
    }

    @Override
    public double getMeanResponseMillis() {
        long count = 0;
        double millis = 0;
        for (StatusClass status : StatusClass.values()) {
            count += counters.requests(RequestOutcome.COMPLETED, status);
            millis += counters.requestTime(RequestOutcome.COMPLETED, status, TimeUnit.MILLISECONDS);
        }
        return count == 0 ? 0 : millis / count;
    }

    @Override
    public double getMeanTimeToFirstByteMillis() {
        long count = counters.firstBytes();
        return count == 0 ? 0 : counters.firstByteTime(TimeUnit.MILLISECONDS) / count;
    }

    @Override
    public long getBytesIn() {
        return counters.bytesIn();
    }

    @Override
    public long getBytesOut() {
        return counters.bytesOut();
    }

    @Override
    public Map<String, Long> getFailures() {
        Map<String, Long> failures = new LinkedHashMap<>();
        for (FastCgiException.Code code : FastCgiException.Code.values()) {
            long count = counters.failures(code);
            if (count > 0) {
                failures.put(code.name(), count);
            }
        }
        return failures;
    }

    @Override
    public long getStaticRequests() {
        return servlet.staticRequests();
    }

    @Override
    public long getVetoedRequests() {
        return servlet.vetoedRequests();
    }

    @Override
    public void markUp() {
        servlet.markUp(counters.backend());
    }

    private PoolState pool() {
        return servlet.pool(counters.backend());
    }
}
