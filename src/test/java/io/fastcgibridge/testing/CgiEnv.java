package io.fastcgibridge.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/** The CGI environment PHP saw, as {@code env.php} prints it: one {@code NAME=value} a line. */
public final class CgiEnv {

    private CgiEnv() {
    }

    public static Map<String, String> parse(String body) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                env.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return env;
    }
}
