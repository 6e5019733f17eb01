package io.fastcgibridge.launcher;

import io.fastcgibridge.client.ClientSettings;
import io.fastcgibridge.client.FastCgiClient;
import io.fastcgibridge.client.FastCgiException;
import io.fastcgibridge.client.FastCgiRequest;
import io.fastcgibridge.client.FastCgiResponse;
import io.fastcgibridge.client.HttpHeaders;
import io.fastcgibridge.servlet.BridgeConfig;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code call ADDRESS SCRIPT [name=value ...]}: the quick call from a shell. The body goes to
 * stdout, PHP's stderr to stderr; a failure prints {@code error <code>: <message>} and exits 1.
 */
final class CallCommand {

    private final PrintStream out;
    private final PrintStream err;

    CallCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        List<String> positional = new ArrayList<>();
        Map<String, String> form = new LinkedHashMap<>();
        boolean include = false;
        Duration timeout = Duration.ofSeconds(60);
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            return Main.printed(out, Main.USAGE_HEAD + usage());
        }
        if (Arrays.asList(args).contains("--version")) {
            return Main.printed(out, Main.versionLine());
        }
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--include") || arg.equals("-i")) {
                    include = true;
                } else if (arg.equals("--timeout") && i + 1 < args.length) {
                    timeout = BridgeConfig.parseDuration(args[++i]);
                } else if (arg.startsWith("-")) {
                    throw new IllegalArgumentException("unknown option " + arg);
                } else if (positional.size() < 2) {
                    positional.add(arg);
                } else {
                    int equals = arg.indexOf('=');
                    if (equals <= 0) {
                        throw new IllegalArgumentException("a field must read name=value, not '" + arg + "'");
                    }
                    form.put(arg.substring(0, equals), arg.substring(equals + 1));
                }
            }
            if (positional.size() < 2) {
                throw new IllegalArgumentException("call needs ADDRESS and SCRIPT");
            }
            ClientSettings settings = ClientSettings.forBackends(positional.get(0)).toBuilder()
                    .maxConnections(1).ioThreads(1).readTimeout(timeout).build();
            return call(settings, positional.get(1), form, include);
        } catch (IllegalArgumentException e) {
            err.println("usage error: " + e.getMessage());
            err.print(usage());
            return 2;
        }
    }

    static String usage() {
        return """
                  call ADDRESS SCRIPT [name=value ...] [--include] [--timeout 60s]
                      runs SCRIPT at the FastCGI ADDRESS (host:port, unix:///path.sock, /path.sock)
                      and prints its body; fields make a POST form, none a GET
                """;
    }

    private int call(ClientSettings settings, String script, Map<String, String> form, boolean include) {
        FastCgiRequest request = form.isEmpty() ? FastCgiRequest.get(script) : FastCgiRequest.post(script, form);
        try (FastCgiClient client = new FastCgiClient(settings)) {
            FastCgiResponse response = client.execute(request);
            if (!response.stderr().isEmpty()) {
                err.print(response.stderr());
                if (!response.stderr().endsWith("\n")) {
                    err.println();
                }
                err.flush();
            }
            if (include) {
                out.print(head(response));
            }
            out.write(response.body(), 0, response.body().length);
            out.flush();
            return 0;
        } catch (FastCgiException e) {
            err.println("error " + e.getCode() + ": " + e.getMessage());
            return 1;
        }
    }

    private static String head(FastCgiResponse response) {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(response.status());
        if (!response.reason().isEmpty()) {
            head.append(' ').append(response.reason());
        }
        head.append("\r\n");
        for (HttpHeaders.Field field : response.headers().fields()) {
            head.append(field.name()).append(": ").append(field.value()).append("\r\n");
        }
        return new String(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1),
                StandardCharsets.ISO_8859_1);
    }
}
