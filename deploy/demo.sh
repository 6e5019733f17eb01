#!/usr/bin/env bash
# The one run command. For now FastCGI Bridge is a FastCGI client: this starts a PHP-FPM on a
# private Unix socket serving webapp-sample, and greets through the `call` command.
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/php-fpm-lib.sh
ensure_php_fpm
fpm=$(find_php_fpm)
mvn -B -ntp -q -DskipTests package

work=$(mktemp -d)
trap 'kill "$fpm_pid" 2>/dev/null; wait "$fpm_pid" 2>/dev/null; rm -rf "$work"' EXIT
docroot=$(cd webapp-sample/src/main/webapp && pwd)
run_as=""
if [ "$(id -u)" = 0 ]; then
    run_as=$'user = root\ngroup = root'
fi
cat > "$work/php-fpm.conf" <<CONF
[global]
error_log = $work/php-fpm.log
daemonize = no
[demo]
$run_as
listen = $work/php-fpm.sock
pm = static
pm.max_children = 2
CONF
root_flag=()
[ "$(id -u)" = 0 ] && root_flag=(-R)
"$fpm" -F "${root_flag[@]}" -y "$work/php-fpm.conf" &
fpm_pid=$!
for _ in $(seq 50); do [ -S "$work/php-fpm.sock" ] && break; sleep 0.1; done

jar=target/fastcgi-bridge.jar
echo "\$ java -jar $jar call unix://$work/php-fpm.sock $docroot/greeter.php"
java -jar "$jar" call "unix://$work/php-fpm.sock" "$docroot/greeter.php"; echo
echo "\$ java -jar $jar call --include unix://$work/php-fpm.sock $docroot/greeter.php who=FastCGI"
java -jar "$jar" call --include "unix://$work/php-fpm.sock" "$docroot/greeter.php" who=FastCGI; echo
