#!/usr/bin/env bash
# The one run command: serves webapp-sample at http://127.0.0.1:8080 on the embedded launcher, which
# starts and supervises its own PHP-FPM; the sample's CDI observers come in with --classpath.
# Ctrl-C stops everything. PORT=9090 deploy/demo.sh picks another port.
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/php-fpm-lib.sh
ensure_php_fpm
mvn -B -ntp -q -Dstyle.color=never -DskipTests install
mvn -B -ntp -q -Dstyle.color=never -DskipTests -f webapp-sample/pom.xml package

exec java -jar target/fastcgi-bridge.jar serve \
    --docroot webapp-sample/src/main/webapp \
    --front-controller /index.php \
    --classpath webapp-sample/target/classes \
    --cache-control '/assets/=public, max-age=3600' \
    --access-log - \
    --host 127.0.0.1 --port "${PORT:-8080}"
