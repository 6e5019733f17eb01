#!/usr/bin/env bash
# The one test command: installs what the tests need (PHP-FPM), then builds and runs every test:
# unit tests, integration tests against a real PHP-FPM, and the executable jar as a user runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/php-fpm-lib.sh
ensure_php_fpm
echo "using PHP-FPM: $(find_php_fpm)"
mvn -B -ntp verify "$@"
