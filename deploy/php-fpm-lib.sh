# Shell functions shared by deploy/test.sh and deploy/demo.sh: find PHP-FPM, install it when missing.

# Prints the path of a PHP-FPM binary: $PHP_FPM, php-fpm or php-fpmX.Y on PATH, else /usr/sbin/php-fpm*.
find_php_fpm() {
    if [ -n "${PHP_FPM:-}" ]; then
        echo "$PHP_FPM"
        return 0
    fi
    local candidate
    candidate=$(command -v php-fpm 2>/dev/null || true)
    if [ -z "$candidate" ]; then
        candidate=$(compgen -c php-fpm 2>/dev/null | grep -E '^php-fpm[0-9.]+$' | sort -V | tail -n 1 || true)
        [ -n "$candidate" ] && candidate=$(command -v "$candidate")
    fi
    if [ -z "$candidate" ]; then
        candidate=$(ls /usr/sbin/php-fpm* 2>/dev/null | sort -V | tail -n 1 || true)
    fi
    [ -n "$candidate" ] && echo "$candidate"
}

# Makes sure PHP-FPM is installed: from the Debian packages when running as root, else says what to do.
ensure_php_fpm() {
    if [ -n "$(find_php_fpm)" ]; then
        return 0
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "PHP-FPM not found: installing it from the Debian packages" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq php8.2-fpm >/dev/null 2>&1 || apt-get install -y -qq php-fpm >/dev/null
    fi
    if [ -z "$(find_php_fpm)" ]; then
        echo "PHP-FPM not found. Install it (Debian/Ubuntu: sudo apt-get install php-fpm) or set PHP_FPM=/path/to/php-fpm" >&2
        return 1
    fi
}

# Makes sure Debian's dokuwiki package is installed (DebianDokuWikiIT serves it where Debian puts it).
# --no-install-recommends pulls in PHP's xml, intl and curl modules and no web server; policy-rc.d
# keeps the package's triggers from restarting a system PHP-FPM. Fails rather than skip the test.
ensure_dokuwiki() {
    if [ -f /usr/share/dokuwiki/doku.php ]; then
        return 0
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "DokuWiki not found: installing Debian's dokuwiki package" >&2
        local policy=/usr/sbin/policy-rc.d added=""
        if [ ! -e "$policy" ]; then
            printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && added=1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dokuwiki >/dev/null \
            || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dokuwiki >/dev/null; } \
            || true
        [ -n "$added" ] && rm -f "$policy"
    fi
    if [ ! -f /usr/share/dokuwiki/doku.php ]; then
        echo "Debian's dokuwiki package is needed by the tests. Install it (sudo apt-get install --no-install-recommends dokuwiki)" >&2
        return 1
    fi
}

# Makes sure the command-line tools the TLS tests drive are there: curl (with HTTP/2, to check what
# was negotiated) and openssl (to lay out certificates as Certbot does). Fails rather than skip.
ensure_test_tools() {
    local missing=()
    command -v curl >/dev/null || missing+=(curl)
    command -v openssl >/dev/null || missing+=(openssl)
    if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing ${missing[*]}" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
            || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } \
            || true
    fi
    if ! command -v curl >/dev/null || ! command -v openssl >/dev/null; then
        echo "the tests need curl and openssl. Install them (sudo apt-get install curl openssl)" >&2
        return 1
    fi
}
