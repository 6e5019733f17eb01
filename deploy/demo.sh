#!/usr/bin/env bash
# The one run command: serves webapp-sample at http://127.0.0.1:8080 on the embedded launcher, in
# front of a PHP-FPM that this script starts on a private Unix socket. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/php-fpm-lib.sh
ensure_php_fpm
fpm=$(find_php_fpm)
mvn -B -ntp -q -Dstyle.color=never -DskipTests package

work=$(mktemp -d)
fpm_pid=""
cleanup() {
    [ -n "$fpm_pid" ] && kill "$fpm_pid" 2>/dev/null && wait "$fpm_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
run_as=""
[ "$(id -u)" = 0 ] && run_as=$'user = root\ngroup = root'
cat > "$work/php-fpm.conf" <<CONF
[global]
error_log = $work/php-fpm.log
daemonize = no
[sample]
$run_as
listen = $work/php-fpm.sock
pm = static
pm.max_children = 4
php_admin_value[session.save_path] = $work
CONF
root_flag=()
[ "$(id -u)" = 0 ] && root_flag=(-R)
"$fpm" -F "${root_flag[@]}" -y "$work/php-fpm.conf" &
fpm_pid=$!
for _ in $(seq 50); do [ -S "$work/php-fpm.sock" ] && break; sleep 0.1; done

java -jar target/fastcgi-bridge.jar serve --docroot webapp-sample/src/main/webapp \
    --fpm "unix://$work/php-fpm.sock" --max-connections 4 --front-controller /index.php \
    --host 127.0.0.1 --port "${PORT:-8080}"
