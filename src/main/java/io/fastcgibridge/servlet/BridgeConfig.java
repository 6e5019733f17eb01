package io.fastcgibridge.servlet;

import io.fastcgibridge.client.ClientSettings;
import io.fastcgibridge.client.FastCgiAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The bridge's configuration, built once from {@link BridgeOption} values (init-params or flags)
 * and checked: a bad value fails start-up with a message naming the option.
 *
 * @param documentRoot the real path of the document root
 * @param symlinks which symbolic links below the document root are followed
 * @param client the FastCGI client's settings
 * @param maxConnectionsDefaulted whether nobody said how many connections PHP-FPM takes
 * @param strict whether a failed {@link StartupChecks start-up check} stops the start
 */
public record BridgeConfig(
        Path documentRoot,
        String index,
        String frontController,
        List<String> extensions,
        List<String> denyPrefixes,
        List<Pattern> denyPatterns,
        SymlinkPolicy symlinks,
        Map<String, String> extraParams,
        boolean keepAlive,
        long maxBody,
        boolean requestBuffering,
        long bodyMemory,
        long responseBuffer,
        long responseBufferMax,
        Duration retryAfter,
        boolean staticResources,
        List<String> cacheControl,
        CompressionPolicy compression,
        List<String> internalPrefixes,
        List<Path> sendfileRoots,
        String accessLog,
        ClientSettings client,
        boolean maxConnectionsDefaulted,
        boolean strict) {

    public BridgeConfig {
        extensions = List.copyOf(extensions);
        denyPrefixes = List.copyOf(denyPrefixes);
        denyPatterns = List.copyOf(denyPatterns);
        extraParams = Map.copyOf(extraParams);
        cacheControl = List.copyOf(cacheControl);
        internalPrefixes = List.copyOf(internalPrefixes);
        sendfileRoots = List.copyOf(sendfileRoots);
    }

    /** Whether a path inside the servlet's mapping is internal: 404 to clients, served only by X-Accel-Redirect. */
    public boolean isInternal(String path) {
        for (String prefix : internalPrefixes) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads every option from {@code values}, which gives the texts set for an option (several for
     * repeatable ones, none when unset).
     */
    public static BridgeConfig from(Function<BridgeOption, List<String>> values) {
        Reader reader = new Reader(values);
        Path root = reader.documentRoot();
        String maxConnections = reader.one(BridgeOption.MAX_CONNECTIONS);
        ClientSettings.Builder client = ClientSettings.builder()
                .backends(reader.addresses())
                .connectTimeout(reader.duration(BridgeOption.CONNECT_TIMEOUT))
                .readTimeout(reader.duration(BridgeOption.READ_TIMEOUT))
                .writeTimeout(reader.duration(BridgeOption.WRITE_TIMEOUT))
                .requestTimeout(reader.duration(BridgeOption.REQUEST_TIMEOUT))
                .poolWaitTimeout(reader.duration(BridgeOption.POOL_WAIT_TIMEOUT))
                .idleTimeout(reader.duration(BridgeOption.IDLE_TIMEOUT))
                .balancing(reader.balancing())
                .maxHeaderBytes((int) reader.size(BridgeOption.MAX_HEADERS))
                .maxParamsBytes((int) reader.size(BridgeOption.MAX_PARAMS));
        if (!maxConnections.isEmpty()) {
            client.maxConnections(reader.positive(BridgeOption.MAX_CONNECTIONS));
        }
        boolean keepAlive = reader.keepAlive(client);
        List<String> prefixes = new ArrayList<>();
        List<Pattern> patterns = new ArrayList<>();
        reader.deny(prefixes, patterns);
        return new BridgeConfig(root, reader.one(BridgeOption.INDEX), reader.frontController(),
                reader.extensions(), prefixes, patterns, reader.parse(BridgeOption.SYMLINKS, SymlinkPolicy::parse),
                reader.params(), keepAlive,
                reader.size(BridgeOption.MAX_BODY), reader.onOff(BridgeOption.REQUEST_BUFFERING),
                reader.size(BridgeOption.BODY_MEMORY), reader.size(BridgeOption.RESPONSE_BUFFER),
                reader.size(BridgeOption.RESPONSE_BUFFER_MAX), reader.duration(BridgeOption.RETRY_AFTER),
                reader.onOff(BridgeOption.STATIC_RESOURCES), reader.cacheRules(), reader.compression(),
                reader.internalPrefixes(), reader.sendfileRoots(),
                reader.one(BridgeOption.ACCESS_LOG), client.build(), maxConnections.isEmpty(),
                reader.onOff(BridgeOption.STRICT));
    }

    /** Parses sizes such as {@code 512}, {@code 64k}, {@code 10m}, {@code 1g}. */
    public static long parseSize(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        long unit = switch (value.isEmpty() ? ' ' : value.charAt(value.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? value : value.substring(0, value.length() - 1);
        try {
            long amount = Long.parseLong(digits);
            if (amount < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(amount, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("bad size '" + text + "' (use 512, 64k, 10m or 1g)");
        }
    }

    /** Parses durations such as {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}; {@code 0} is zero. */
    public static Duration parseDuration(String text) {
        String value = text.trim();
        try {
            if (value.equals("0")) {
                return Duration.ZERO;
            }
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("bad duration '" + text + "' (use 250ms, 5s, 2m or 1h)");
        }
    }

    /** Reads options one by one, naming the option in every error. */
    private static final class Reader {
        private final Function<BridgeOption, List<String>> values;

        Reader(Function<BridgeOption, List<String>> values) {
            this.values = values;
        }

        List<String> all(BridgeOption option) {
            List<String> given = values.apply(option);
            List<String> split = new ArrayList<>();
            if (given != null) {
                given.forEach(text -> Arrays.stream(text.split("[,\\s]+"))
                        .filter(item -> !item.isEmpty()).forEach(split::add));
            }
            return split;
        }

        String one(BridgeOption option) {
            List<String> given = values.apply(option);
            if (given == null || given.isEmpty()) {
                if (option.defaultValue() == null) {
                    throw new IllegalArgumentException(option.key() + " is required: " + option.help());
                }
                return option.defaultValue();
            }
            return given.get(given.size() - 1).trim();
        }

        <T> T parse(BridgeOption option, Function<String, T> parser) {
            String text = one(option);
            try {
                return parser.apply(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option.key() + ": " + e.getMessage(), e);
            }
        }

        /**
         * Whether FastCGI connections are kept; {@code unverified} keeps them without the reuse
         * probe, as nginx's upstream {@code keepalive} does, and tells {@code client} so.
         */
        boolean keepAlive(ClientSettings.Builder client) {
            return parse(BridgeOption.KEEPALIVE, text -> switch (text) {
                case "on", "true", "yes" -> true;
                case "off", "false", "no" -> false;
                case "unverified" -> {
                    client.verifyReuse(false);
                    yield true;
                }
                default -> throw new IllegalArgumentException("use on, unverified or off, not " + text);
            });
        }

        boolean onOff(BridgeOption option) {
            return parse(option, text -> switch (text) {
                case "on", "true", "yes" -> true;
                case "off", "false", "no" -> false;
                default -> throw new IllegalArgumentException("use on or off, not " + text);
            });
        }

        /** Every value given, one per flag, or one per line of an init-param (values may hold commas). */
        List<String> lines(BridgeOption option) {
            List<String> given = values.apply(option);
            List<String> lines = new ArrayList<>();
            for (String text : given == null ? List.<String>of() : given) {
                Arrays.stream(text.split("\\R")).map(String::trim).filter(line -> !line.isEmpty()).forEach(lines::add);
            }
            return lines;
        }

        /** The cache-control rules as given, once checked to parse. */
        List<String> cacheRules() {
            List<String> rules = lines(BridgeOption.CACHE_CONTROL);
            try {
                CacheRule.parseAll(rules);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cache-control: " + e.getMessage(), e);
            }
            return rules;
        }

        /** {@code compression}: on (or gzip) or off; a minimum length up to 1m; types like text/* or exact. */
        CompressionPolicy compression() {
            boolean enabled = parse(BridgeOption.COMPRESSION, text -> switch (text) {
                case "on", "gzip", "true", "yes" -> true;
                case "off", "false", "no" -> false;
                default -> throw new IllegalArgumentException("use on, gzip or off, not " + text);
            });
            long minLength = size(BridgeOption.COMPRESSION_MIN_LENGTH);
            if (minLength > 1L << 20) {
                throw new IllegalArgumentException("compression-min-length: at most 1m, since that much is held"
                        + " in memory before deciding, was " + minLength);
            }
            List<String> types = all(BridgeOption.COMPRESSION_TYPES).stream()
                    .map(type -> type.toLowerCase(Locale.ROOT)).toList();
            for (String type : types) {
                if (!type.matches("[a-z0-9!#$&^_.+-]+/([a-z0-9!#$&^_.+-]+|\\*|\\*[a-z0-9!#$&^_.+-]+)")) {
                    throw new IllegalArgumentException("compression-types: '" + type + "' is not like text/* or"
                            + " application/json");
                }
            }
            return new CompressionPolicy(enabled, minLength, types.isEmpty() ? CompressionPolicy.DEFAULT_TYPES : types);
        }

        List<String> internalPrefixes() {
            List<String> prefixes = all(BridgeOption.INTERNAL);
            for (String prefix : prefixes) {
                if (!prefix.startsWith("/") || prefix.equals("/")) {
                    throw new IllegalArgumentException("internal: '" + prefix + "' is not a path prefix like /protected/");
                }
            }
            return prefixes;
        }

        /** The sendfile roots as real paths, so that a file's real path is compared with them. */
        List<Path> sendfileRoots() {
            List<Path> roots = new ArrayList<>();
            for (String text : all(BridgeOption.SENDFILE_ROOT)) {
                Path root = Path.of(text);
                if (!root.isAbsolute() || !Files.isDirectory(root)) {
                    throw new IllegalArgumentException("sendfile-root: " + text + " is not an absolute path of a directory");
                }
                try {
                    roots.add(root.toRealPath());
                } catch (IOException e) {
                    throw new UncheckedIOException("sendfile-root: cannot resolve " + root, e);
                }
            }
            return roots;
        }

        Duration duration(BridgeOption option) {
            return parse(option, BridgeConfig::parseDuration);
        }

        long size(BridgeOption option) {
            return parse(option, BridgeConfig::parseSize);
        }

        int positive(BridgeOption option) {
            return parse(option, text -> {
                int value = Integer.parseInt(text);
                if (value <= 0) {
                    throw new IllegalArgumentException("must be a positive number, was " + text);
                }
                return value;
            });
        }

        Path documentRoot() {
            Path root = Path.of(one(BridgeOption.DOCROOT));
            if (!Files.isDirectory(root)) {
                throw new IllegalArgumentException("docroot: " + root + " is not a directory");
            }
            try {
                return root.toRealPath();
            } catch (IOException e) {
                throw new UncheckedIOException("docroot: cannot resolve " + root, e);
            }
        }

        List<FastCgiAddress> addresses() {
            List<String> given = all(BridgeOption.FPM);
            if (given.isEmpty()) {
                throw new IllegalArgumentException("fpm is required: " + BridgeOption.FPM.help());
            }
            return given.stream().map(text -> {
                try {
                    return FastCgiAddress.parse(text);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("fpm: " + e.getMessage(), e);
                }
            }).toList();
        }

        ClientSettings.Balancing balancing() {
            return parse(BridgeOption.BALANCING, text -> switch (text) {
                case "round-robin" -> ClientSettings.Balancing.ROUND_ROBIN;
                case "least-busy" -> ClientSettings.Balancing.LEAST_BUSY;
                default -> throw new IllegalArgumentException("use round-robin or least-busy, not " + text);
            });
        }

        String frontController() {
            String script = one(BridgeOption.FRONT_CONTROLLER);
            if (!script.isEmpty() && !script.startsWith("/")) {
                throw new IllegalArgumentException("front-controller: a path from the document root, like /index.php");
            }
            return script;
        }

        List<String> extensions() {
            List<String> extensions = all(BridgeOption.EXTENSIONS);
            for (String extension : extensions) {
                if (!extension.matches("\\.[A-Za-z0-9]+")) {
                    throw new IllegalArgumentException("extensions: '" + extension + "' is not like .php");
                }
            }
            return extensions.isEmpty() ? List.of(".php") : extensions;
        }

        void deny(List<String> prefixes, List<Pattern> patterns) {
            for (String rule : all(BridgeOption.DENY)) {
                if (rule.startsWith("~")) {
                    patterns.add(Pattern.compile(rule.substring(1)));
                } else if (rule.startsWith("/")) {
                    prefixes.add(rule);
                } else {
                    throw new IllegalArgumentException("deny: '" + rule + "' is neither a /prefix nor a ~regex");
                }
            }
        }

        Map<String, String> params() {
            Map<String, String> params = new LinkedHashMap<>();
            for (String line : lines(BridgeOption.PARAM)) {
                int equals = line.indexOf('=');
                if (equals <= 0) {
                    throw new IllegalArgumentException("param: '" + line + "' is not NAME=VALUE");
                }
                params.put(line.substring(0, equals).trim(), line.substring(equals + 1));
            }
            return params;
        }
    }
}
