package io.fastcgibridge.servlet;

/**
 * Every configuration option, by the one name it has everywhere: servlet init-param, context
 * param and launcher flag ({@code --read-timeout 30s}). Defaults live here and nowhere else.
 */
public enum BridgeOption {
    DOCROOT("docroot", null, "the document root: PHP scripts and static files (required)"),
    FPM("fpm", null, "a PHP-FPM address; repeat for several backends"),
    INDEX("index", "index.php", "the script tried for a directory"),
    FRONT_CONTROLLER("front-controller", "", "the script for paths that match no file, like try_files $uri $uri/ /index.php"),
    EXTENSIONS("extensions", ".php", "script extensions, exact and case-sensitive"),
    DENY("deny", "", "a path prefix answered 404, or ~regex; repeat for several"),
    SYMLINKS("symlinks", "owner", "follow symbolic links: follow, owner (only to a target of the link's owner) or refuse"),
    PARAM("param", "", "an extra CGI param NAME=VALUE; repeat for several"),
    CONNECT_TIMEOUT("connect-timeout", "5s", "to connect to PHP-FPM"),
    READ_TIMEOUT("read-timeout", "60s", "the longest PHP-FPM may stay silent (then 504)"),
    WRITE_TIMEOUT("write-timeout", "60s", "the longest PHP-FPM may refuse request bytes (then 504)"),
    REQUEST_TIMEOUT("request-timeout", "0", "the whole request to PHP-FPM; 0 is none"),
    MAX_CONNECTIONS("max-connections", "", "connections per backend; set to pm.max_children (default 8)"),
    POOL_WAIT_TIMEOUT("pool-wait-timeout", "10s", "the longest wait for a free connection (then 503)"),
    IDLE_TIMEOUT("idle-timeout", "2s", "an idle kept connection is closed after this"),
    BALANCING("balancing", "round-robin", "round-robin or least-busy across backends"),
    KEEPALIVE("keepalive", "on", "reuse FastCGI connections once PHP-FPM shows the worker is free (on), without asking (unverified: only for"
            + " applications that never call fastcgi_finish_request()), or one per request (off)"),
    MAX_BODY("max-body", "64m", "the largest request body (then 413)"),
    REQUEST_BUFFERING("request-buffering", "on", "receive the whole body before PHP-FPM is contacted (on), or stream it (off)"),
    BODY_MEMORY("body-memory", "16k", "request body bytes held in memory; past this the body goes to a temporary file"),
    RESPONSE_BUFFER("response-buffer", "1m", "response bytes held in memory while the client is slower than PHP"),
    RESPONSE_BUFFER_MAX("response-buffer-max", "1g", "past the memory buffer, response bytes spooled to a temporary file; then PHP waits"),
    MAX_HEADERS("max-headers", "64k", "the largest CGI response header block (then 502); serve: the largest request head too (then 431)"),
    MAX_PARAMS("max-params", "1m", "the largest encoded params (then 431)"),
    RETRY_AFTER("retry-after", "5s", "Retry-After sent with a 503"),
    STATIC_RESOURCES("static-resources", "on", "serve static files (on) or not (off: they answer 404)"),
    CACHE_CONTROL("cache-control", "", "a Cache-Control rule for static files, /prefix=VALUE or ~regex=VALUE; repeatable"),
    COMPRESSION("compression", "on", "gzip text responses of PHP and static files for clients that accept it (on, gzip) or not (off)"),
    COMPRESSION_MIN_LENGTH("compression-min-length", "512", "the smallest response body compressed (at most 1m)"),
    COMPRESSION_TYPES("compression-types", "", "the content types compressed, text/* or exact; repeatable (default: text and textual application types)"),
    INTERNAL("internal", "", "a path prefix clients get 404 for, served only through PHP's X-Accel-Redirect; repeatable"),
    SENDFILE_ROOT("sendfile-root", "", "a folder PHP's X-Sendfile may send files from; repeatable (default none: X-Sendfile refused)"),
    ACCESS_LOG("access-log", "", "an access log in combined format: a file, - for stdout, empty for none"),
    STRICT("strict", "off", "a failed start-up check (PHP-FPM accepts, front controller exists, PHP not root) stops the start");

    private final String key;
    private final String defaultValue;
    private final String help;

    BridgeOption(String key, String defaultValue, String help) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.help = help;
    }

    /** The name of the init-param and flag. */
    public String key() {
        return key;
    }

    /** The default as text, or {@code null} when the option is required. */
    public String defaultValue() {
        return defaultValue;
    }

    /** One line for usage texts. */
    public String help() {
        return help;
    }

    /** The option with this name, or {@code null}. */
    public static BridgeOption byKey(String key) {
        for (BridgeOption option : values()) {
            if (option.key.equals(key)) {
                return option;
            }
        }
        return null;
    }
}
