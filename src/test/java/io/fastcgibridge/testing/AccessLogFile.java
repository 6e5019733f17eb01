package io.fastcgibridge.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads the access log a bridge writes, waiting for a request's line: it is written once the request has ended. */
public final class AccessLogFile {

    private final Path file;

    public AccessLogFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /** The one line whose request is {@code requestLine} ({@code "POST /touch.php?x HTTP/1.1"}), within 10 s. */
    public String lineFor(String requestLine) throws IOException, InterruptedException {
        String quoted = "\"" + requestLine + "\"";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
            List<String> matching = lines.stream().filter(line -> line.contains(quoted)).toList();
            if (matching.size() > 1) {
                throw new AssertionError("more than one access log line for " + requestLine + ": " + matching);
            }
            if (matching.size() == 1) {
                return matching.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no access log line for " + requestLine + " in " + lines);
            }
            Thread.sleep(20);
        }
    }

    /** The status and size fields of the request's line, such as {@code "400 16"} or {@code "499 -"}. */
    public String statusAndBytes(String requestLine) throws IOException, InterruptedException {
        String line = lineFor(requestLine);
        String[] after = line.substring(line.indexOf(requestLine) + requestLine.length() + 2).split(" ");
        return after[0] + " " + after[1];
    }
}
