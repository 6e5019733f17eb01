package io.fastcgibridge.itest;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the messages logged under a logger name. The bridge logs through {@code System.Logger},
 * which goes to {@code java.util.logging}: one LogManager for the whole JVM, whichever class loader
 * the bridge's classes came from.
 */
final class LogCapture extends Handler {

    private final Logger logger;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        setLevel(Level.ALL);
    }

    static LogCapture attach(String name) {
        Logger logger = Logger.getLogger(name);
        LogCapture capture = new LogCapture(logger); // keeps the logger, and so its handler, reachable
        logger.addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getMessage();
        Object[] parameters = record.getParameters();
        if (parameters != null && parameters.length > 0 && message != null) {
            message = java.text.MessageFormat.format(message, parameters);
        }
        messages.add(record.getLoggerName() + ": " + message);
    }

    List<String> all() {
        return List.copyOf(messages);
    }

    List<String> matching(Predicate<String> test) {
        return messages.stream().filter(test).toList();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
