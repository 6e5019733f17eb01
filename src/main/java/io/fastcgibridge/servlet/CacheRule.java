package io.fastcgibridge.servlet;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A {@code Cache-Control} value for the static files whose context-relative path {@code pattern}
 * finds a match in, such as {@code /assets/app.css}; the first matching rule of a list wins.
 *
 * @param pattern searched for (not matched whole) in the request path
 * @param value the {@code Cache-Control} header value
 */
public record CacheRule(Pattern pattern, String value) {

    public CacheRule {
        if (pattern == null || value == null || value.isBlank()) {
            throw new IllegalArgumentException("a cache rule needs a pattern and a value");
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a Cache-Control value cannot contain a line break");
        }
        value = value.strip();
    }

    /** Whether this rule applies to a context-relative path. */
    public boolean matches(String path) {
        return pattern.matcher(path).find();
    }

    /** The value of the first rule that applies to {@code path}, or {@code null}. */
    public static String valueFor(List<CacheRule> rules, String path) {
        for (CacheRule rule : rules) {
            if (rule.matches(path)) {
                return rule.value();
            }
        }
        return null;
    }

    /**
     * Parses {@code /prefix=VALUE} (paths that start with the prefix) or {@code ~regex=VALUE};
     * the value is everything after the first {@code =}, so a regex cannot contain one.
     */
    public static CacheRule parse(String text) {
        String rule = text.strip();
        int equals = rule.indexOf('=');
        if (equals <= 0 || rule.substring(equals + 1).isBlank()) {
            throw new IllegalArgumentException("'" + rule + "' is not /prefix=VALUE or ~regex=VALUE");
        }
        String match = rule.substring(0, equals).strip();
        String value = rule.substring(equals + 1);
        if (match.startsWith("/")) {
            return new CacheRule(Pattern.compile("^" + Pattern.quote(match)), value);
        }
        if (match.startsWith("~") && match.length() > 1) {
            try {
                return new CacheRule(Pattern.compile(match.substring(1)), value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("'" + match + "' is not a valid regex: " + e.getDescription(), e);
            }
        }
        throw new IllegalArgumentException("'" + rule + "' is neither /prefix=VALUE nor ~regex=VALUE");
    }

    /**
     * Parses rules in order; each text holds one rule, or several on separate lines (as one
     * init-param would), and blank lines are skipped. The message names the faulty rule.
     */
    public static List<CacheRule> parseAll(List<String> texts) {
        List<CacheRule> rules = new ArrayList<>();
        for (String text : texts == null ? List.<String>of() : texts) {
            for (String line : text.split("\\R")) {
                if (!line.isBlank()) {
                    rules.add(parse(line));
                }
            }
        }
        return List.copyOf(rules);
    }
}
