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
