#!/usr/bin/env bash
# One benchmark run on loopback: ONE PHP-FPM pool (4 static children, Unix socket) with, in turn,
# the launcher, nginx fastcgi_pass without upstream keepalive, and nginx with `keepalive 16` in
# front of it; wrk measures each; `fastcgi-bridge.jar bench` gives the ceiling without HTTP.
# Prints one table and writes it to RESULTS.md. Bounded: about 5 minutes.
#   itest/bench/compare.sh                 (DURATION=8 WARMUP=3 seconds per measurement)
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/../.." && pwd)
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-3}
. "$root/deploy/php-fpm-lib.sh"
ensure_php_fpm
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "install wrk and nginx first" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null
fi
jar=$root/target/fastcgi-bridge.jar
[ -f "$jar" ] || mvn -B -q -f "$root/pom.xml" -DskipTests package

work=$(mktemp -d)
# nginx's workers run as another user: they must reach the socket and the document root.
chmod 755 "$work"
pids=()
cleanup() {
    [ -f "$work/nginx.pid" ] && nginx -c "$work/nginx.conf" -s stop 2>/dev/null || true
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- PHP-FPM: the one pool every front shares ---
docroot=$work/docroot
mkdir -p "$docroot"
cp "$bench"/php/*.php "$docroot/"
head -c 1048576 /dev/urandom > "$docroot/static-1mib.bin"
socket=$work/php-fpm.sock
run_as=""; root_flag=()
if [ "$(id -u)" = 0 ]; then run_as=$'user = root\ngroup = root'; root_flag=(-R); fi
cat > "$work/php-fpm.conf" <<CONF
[global]
error_log = $work/php-fpm.log
daemonize = no
[bench]
$run_as
listen = $socket
listen.mode = 0666
listen.backlog = 4096
pm = static
pm.max_children = 4
php_admin_value[post_max_size] = 0
php_admin_value[output_buffering] = 0
CONF
"$(find_php_fpm)" -F "${root_flag[@]}" -y "$work/php-fpm.conf" & pids+=($!)
for _ in $(seq 100); do [ -S "$socket" ] && break; sleep 0.1; done

# --- nginx: one server without upstream keepalive, one with ---
nginx_plain=$(free_port); nginx_keep=$(free_port)
sed -e "s|@WORK@|$work|g" -e "s|@SOCKET@|$socket|g" -e "s|@DOCROOT@|$docroot|g" \
    -e "s|@PORT_PLAIN@|$nginx_plain|g" -e "s|@PORT_KEEPALIVE@|$nginx_keep|g" \
    "$bench/nginx/nginx.conf.template" > "$work/nginx.conf"

# --- the launcher ---
start_launcher() { # heap, port
    java "-Xmx$1" -jar "$jar" serve --docroot "$docroot" --fpm "unix://$socket" --max-connections 4 \
        --max-body 2g --port "$2" --lifecycle-log off > "$work/launcher-$2.log" 2>&1 & pids+=($!)
    for _ in $(seq 300); do grep -q '^listening on' "$work/launcher-$2.log" && return 0; sleep 0.1; done
    echo "the launcher did not start:" >&2; cat "$work/launcher-$2.log" >&2; return 1
}

rows=$work/rows.tsv
: > "$rows"
to_ms() { # wrk latency like 812.00us / 5.26ms / 1.20s -> milliseconds
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
measure() { # front, test, url, connections [, lua script]
    local script=()
    [ -n "${5:-}" ] && script=(-s "$5")
    wrk -t2 -c"$4" -d"${WARMUP}s" "${script[@]}" "$3" > /dev/null 2>&1 || true
    local out; out=$(wrk -t2 -c"$4" -d"${DURATION}s" --timeout 10s --latency "${script[@]}" "$3" 2>&1)
    local rps p50 p99 errors
    rps=$(echo "$out" | awk '/^Requests\/sec/ { print $2 }')
    p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" { print $2 }')")
    p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" { print $2 }')")
    errors=$(echo "$out" | awk '/Socket errors/ { gsub(",", ""); s += $4 + $6 + $8 + $10 } /Non-2xx/ { s += $NF } END { print s + 0 }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$rps" "$p50" "$p99" "$errors" >> "$rows"
    printf '%-22s %-18s %10s req/s  p50 %8s ms  p99 %8s ms  errors %s\n' "$1" "$2" "$rps" "$p50" "$p99" "$errors"
}
run_front() { # name, base URL
    # A JVM needs its JIT warm before it is measured; every front gets the same warm-up.
    wrk -t2 -c64 -d10s "$2/hello.php" > /dev/null 2>&1 || true
    measure "$1" "hello.php c64" "$2/hello.php" 64
    measure "$1" "hello.php c256" "$2/hello.php" 256
    measure "$1" "1 MiB PHP c16" "$2/mib.php" 16
    measure "$1" "1 MiB static c16" "$2/static-1mib.bin" 16
    measure "$1" "10 MiB upload c4" "$2/upload.php" 4 "$bench/upload.lua"
}

launcher_port=$(free_port)
start_launcher 512m "$launcher_port"
run_front "launcher" "http://127.0.0.1:$launcher_port"
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

nginx -c "$work/nginx.conf"
run_front "nginx" "http://127.0.0.1:$nginx_plain"
run_front "nginx keepalive 16" "http://127.0.0.1:$nginx_keep"
nginx -c "$work/nginx.conf" -s stop; sleep 1

ceiling=$(java -jar "$jar" bench "unix://$socket" "$docroot/hello.php" --concurrency 4 --duration "${DURATION}s" | head -1)

# --- memory: 1 GiB each way through the launcher in a 64 MiB heap ---
small_port=$(free_port)
start_launcher 64m "$small_port"
down_start=$(date +%s.%N)
down=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$small_port/mib.php?mib=1024")
down_secs=$(echo "$(date +%s.%N) - $down_start" | bc)
head -c 1073741824 /dev/zero > "$work/1gib.bin"
up_start=$(date +%s.%N)
# -T streams the file (--data-binary would read it into curl's memory first).
up=$(curl -s -X POST -H 'Content-Type: application/octet-stream' -T "$work/1gib.bin" -w ' %{http_code}' \
    "http://127.0.0.1:$small_port/upload.php")
up_secs=$(echo "$(date +%s.%N) - $up_start" | bc)
rm -f "$work/1gib.bin"
memory_down=$([ "$down" = "200 1073741824" ] && echo pass || echo "FAIL ($down)")
memory_up=$([ "$up" = "1073741824 200" ] && echo pass || echo "FAIL ($up)")

# --- the table ---
table=$(awk -F'\t' '
    { key = $2; rows[NR] = $0; if ($1 == "nginx") base[key] = $3 }
    END {
        print "| front | test | req/s | p50 ms | p99 ms | errors + timeouts | req/s vs nginx |"
        print "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
        for (i = 1; i <= NR; i++) {
            split(rows[i], f, "\t")
            ratio = base[f[2]] > 0 ? sprintf("%.2fx", f[3] / base[f[2]]) : "-"
            printf "| %s | %s | %s | %s | %s | %s | %s |\n", f[1], f[2], f[3], f[4], f[5], f[6], ratio
        }
    }' "$rows")
report=$(cat <<REPORT
## Run of $(date -u '+%Y-%m-%d %H:%M UTC')

Machine: $(nproc) cores, $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }'), $(free -g | awk '/Mem:/ { print $2 }') GiB.
Command: \`itest/bench/compare.sh\` (DURATION=$DURATION s, WARMUP=$WARMUP s, wrk 2 threads, PHP-FPM 4 static children on a Unix socket, launcher \`--max-connections 4\`, -Xmx512m).

$table

FastCGI straight to PHP-FPM (\`fastcgi-bridge.jar bench\`, concurrency 4, no HTTP): $ceiling

Launcher at -Xmx64m: 1 GiB PHP download $memory_down (${down_secs%.*} s), 1 GiB upload $memory_up (${up_secs%.*} s).
REPORT
)
echo
echo "$report"
if [ ! -f "$bench/RESULTS.md" ]; then
    printf '# Benchmark results\n\nEach run of `itest/bench/compare.sh` adds a section; compare figures within one run only.\n' \
        > "$bench/RESULTS.md"
fi
printf '\n%s\n' "$report" >> "$bench/RESULTS.md"
