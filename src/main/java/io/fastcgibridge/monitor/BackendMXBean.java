package io.fastcgibridge.monitor;

import java.util.Map;

/**
 * One backend of one bridge servlet in JMX ({@code io.fastcgibridge:type=Backend,...}), as
 * JConsole and VisualVM show it: its connections now, what its requests did since start, and
 * {@link #markUp()} for a backend an operator knows is back.
 */
public interface BackendMXBean {

    /** The web application, as Tomcat names it. */
    String getApplication();

    String getServlet();

    String getAddress();

    /** Connections serving a request. */
    int getActiveConnections();

    /** Kept connections waiting for a request; each pins a PHP-FPM worker. */
    int getIdleConnections();

    /** Requests waiting for a connection. */
    int getWaitingRequests();

    /** Whether the backend is skipped after refused connections. */
    boolean isDown();

    /** Requests that PHP answered in full. */
    long getCompletedRequests();

    long getFailedRequests();

    /** Requests whose client went away first. */
    long getAbortedRequests();

    /** The mean time of the completed requests, in milliseconds. */
    double getMeanResponseMillis();

    /** The mean time until PHP's headers came, in milliseconds. */
    double getMeanTimeToFirstByteMillis();

    long getBytesIn();

    long getBytesOut();

    /** Failures by code ({@code CONNECT_REFUSED}, {@code READ_TIMEOUT}, ...), the codes that occurred. */
    Map<String, Long> getFailures();

    /** Static files the servlet served (servlet-wide). */
    long getStaticRequests();

    /** Requests an observer answered itself (servlet-wide). */
    long getVetoedRequests();

    /** Takes the backend back into use at once instead of at the end of its down time. */
    void markUp();
}
