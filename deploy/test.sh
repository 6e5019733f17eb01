#!/usr/bin/env bash
# The one test command: installs what the tests need (PHP-FPM, Debian's dokuwiki package, curl and
# openssl), then builds and runs every test:
# the library and launcher (unit tests, integration tests against a real PHP-FPM, the executable jar
# as a user runs it), the sample WAR, and itest/ (the WAR in Tomcat, with Weld and a real PHP-FPM).
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/php-fpm-lib.sh
ensure_php_fpm
echo "using PHP-FPM: $(find_php_fpm)"
ensure_dokuwiki
ensure_test_tools
mvn -B -ntp install "$@"
mvn -B -ntp -f webapp-sample/pom.xml install
mvn -B -ntp -f itest/pom.xml verify
