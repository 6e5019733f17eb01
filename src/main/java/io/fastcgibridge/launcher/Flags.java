package io.fastcgibridge.launcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line flags: {@code --name value} or {@code --name=value}, repeatable, checked against the
 * known names. {@code --help} (or {@code -h}) and {@code --version} are known to every command.
 */
final class Flags {

    private static final Set<String> ON_OFF = Set.of("on", "off", "true", "false", "yes", "no");

    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();
    private boolean help;
    private boolean version;

    private Flags() {
    }

    /**
     * Parses {@code args}; names in {@code switches} need no value: {@code --strict} is
     * {@code --strict=on}, and an {@code on} or {@code off} right after it is its value.
     *
     * @throws IllegalArgumentException for an unknown flag or a missing value
     */
    static Flags parse(String[] args, Set<String> known, Set<String> switches) {
        Flags flags = new Flags();
        // Asked for help, a user gets it even when another flag is wrong.
        flags.help = Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h");
        flags.version = Arrays.asList(args).contains("--version");
        if (flags.help || flags.version) {
            return flags;
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                flags.positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            if (!known.contains(name) && !switches.contains(name)) {
                throw new IllegalArgumentException("unknown flag --" + name);
            }
            if (switches.contains(name)) {
                if (value == null && i + 1 < args.length && ON_OFF.contains(args[i + 1])) {
                    value = args[++i];
                }
                value = value == null ? "on" : value;
            } else if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            flags.values.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return flags;
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    String one(String name, String fallback) {
        List<String> given = all(name);
        return given.isEmpty() ? fallback : given.get(given.size() - 1);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** Whether {@code --help} was given: the command prints its usage and exits 0, whatever else was given. */
    boolean helpRequested() {
        return help;
    }

    /** Whether {@code --version} was given. */
    boolean versionRequested() {
        return version;
    }

    List<String> positional() {
        return positional;
    }
}
