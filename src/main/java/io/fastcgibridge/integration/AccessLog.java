package io.fastcgibridge.integration;

import io.fastcgibridge.event.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** An append-only access log, one per target (a file, or {@code -} for stdout), shared by every writer. */
final class AccessLog {

    private static final Map<String, AccessLog> OPEN = new ConcurrentHashMap<>();

    private final Writer out;

    private AccessLog(Writer out) {
        this.out = out;
    }

    static AccessLog forTarget(String target) {
        return OPEN.computeIfAbsent(target, AccessLog::open);
    }

    private static AccessLog open(String target) {
        if (target.equals("-")) {
            return new AccessLog(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        }
        try {
            return new AccessLog(Files.newBufferedWriter(Path.of(target), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the access log " + target, e);
        }
    }

    synchronized void write(String line) {
        try {
            out.write(line);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            System.getLogger(AccessLog.class.getName()).log(System.Logger.Level.WARNING,
                    "FCGI-0502 cannot write the access log: " + e.getMessage());
        }
    }
}
