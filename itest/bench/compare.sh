#!/usr/bin/env bash
# One benchmark run on loopback: ONE PHP-FPM pool (4 static children, Unix socket) behind seven
# fronts: the launcher (kept FastCGI connections, reused once PHP-FPM showed the worker free: its
# default), the same launcher with its admin port scraped every second (`--admin-port`: what exposing
# the meters costs), the launcher with one connection per request (`--keepalive off`), the launcher
# reusing connections unverified (`--keepalive unverified`: what the reuse probe costs), nginx
# fastcgi_pass without upstream keepalive, nginx with `keepalive 16`, and Jetty 12's FastCGI proxy.
# wrk measures each test on every front in turn, ROUNDS times in
# rotating order, and the table gives each front's median, with the front's CPU time and context
# switches per request. Then the floor: hello.php at one low request rate on the launcher and nginx,
# beside a bare Tomcat servlet and nginx answering the same body themselves, for the CPU per request
# that the servlet container costs before any FastCGI (ONLY=paced runs it alone). Then the ceiling
# without HTTP: `fastcgi-bridge.jar bench` beside a plain blocking client (reference/BlockingClient.java,
# a thread per kept connection) on the same pool, at 2 and 4 connections. The launcher at -Xmx64m then
# moves 1 GiB each way.
# Prints one table and appends it to RESULTS.md. Bounded: about 20 minutes.
#   itest/bench/compare.sh      (DURATION=4 WARMUP=2 SETTLE=5 ROUNDS=3 JIT_WARMUP=10 CEILING_DURATION=8, in seconds;
#                                PACE_CONNECTIONS=32 PACE_DELAY=10, in ms, for the floor)
# BASELINE_JAR=path/to/an/older/fastcgi-bridge.jar adds that launcher as one more front, to compare two
# builds in one run; ONLY=regex keeps the tests whose names match (e.g. ONLY='hello|static').
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/../.." && pwd)
DURATION=${DURATION:-4}
WARMUP=${WARMUP:-2}
SETTLE=${SETTLE:-5}
ROUNDS=${ROUNDS:-3}
JIT_WARMUP=${JIT_WARMUP:-10}
CEILING_DURATION=${CEILING_DURATION:-8}
. "$root/deploy/php-fpm-lib.sh"
ensure_php_fpm
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "install wrk and nginx first" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx >/dev/null
fi
jar=$root/target/fastcgi-bridge.jar
[ -f "$jar" ] || mvn -B -q -f "$root/pom.xml" -DskipTests package
jetty_jar=$bench/jetty/target/jetty-fcgi-proxy.jar
[ -f "$jetty_jar" ] || mvn -B -q -f "$bench/jetty/pom.xml" package

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
wait_for_line() { # log file, what started
    for _ in $(seq 300); do grep -q '^listening on' "$1" && return 0; sleep 0.1; done
    echo "$2 did not start:" >&2; cat "$1" >&2; return 1
}

# --- PHP-FPM: the one pool every front shares ---
docroot=$work/docroot
mkdir -p "$docroot"
cp "$bench"/php/*.php "$docroot/"
head -c 1048576 /dev/urandom > "$docroot/static-1mib.bin"
socket=$work/php-fpm.sock
fpm_tcp_port=$(free_port)
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
; The same on loopback TCP, for the ceiling's clients only: the issue's reference speaks TCP.
[bench-tcp]
$run_as
listen = 127.0.0.1:$fpm_tcp_port
listen.backlog = 4096
pm = static
pm.max_children = 4
CONF
"$(find_php_fpm)" -F "${root_flag[@]}" -y "$work/php-fpm.conf" & fpm_pid=$!; pids+=("$fpm_pid")
for _ in $(seq 100); do [ -S "$socket" ] && break; sleep 0.1; done

# --- the fronts, all up at once; each is measured alone. A kept connection pins a PHP-FPM child,
# so every front closes idle ones after 1 s, within the next measurement's warm-up. ---
start_launcher() { # heap, port, more flags
    java "-Xmx$1" -jar "$jar" serve --docroot "$docroot" --fpm "unix://$socket" --max-connections 4 \
        --idle-timeout 1s --max-body 2g --port "$2" --lifecycle-log off "${@:3}" > "$work/launcher-$2.log" 2>&1 &
    pids+=($!)
    wait_for_line "$work/launcher-$2.log" "the launcher"
}
# The launcher keeps its meters in every configuration; its admin port is scraped, as Prometheus
# would, once a second but only while the front "launcher metrics scraped" is measured: the same
# JVM with and without scrapes, so that the difference is what exposing the meters costs and not
# how two JVMs happened to compile the same code.
launcher_port=$(free_port)
admin_port=$(free_port)
start_launcher 512m "$launcher_port" --admin-port "$admin_port"; launcher_pid=${pids[-1]}
scrape_flag=$work/scrape
( while kill -0 "$launcher_pid" 2>/dev/null; do
      [ -e "$scrape_flag" ] && { curl -s -o /dev/null "http://127.0.0.1:$admin_port/metrics" || true; }
      sleep 1
  done ) & pids+=($!)
# The same launcher with a FastCGI connection per request: what reusing them saves is the difference.
launcher_keep_port=$(free_port)
start_launcher 512m "$launcher_keep_port" --keepalive off; launcher_keep_pid=${pids[-1]}
# The same launcher reusing connections without the reuse probe, as nginx's upstream keepalive does:
# what the probe's safety after fastcgi_finish_request() costs is the difference.
launcher_unverified_port=$(free_port)
start_launcher 512m "$launcher_unverified_port" --keepalive unverified; launcher_unverified_pid=${pids[-1]}
baseline_port=""
if [ -n "${BASELINE_JAR:-}" ]; then
    baseline_port=$(free_port)
    java -Xmx512m -jar "$BASELINE_JAR" serve --docroot "$docroot" --fpm "unix://$socket" --max-connections 4 \
        --idle-timeout 1s --max-body 2g --port "$baseline_port" --lifecycle-log off > "$work/baseline.log" 2>&1 &
    pids+=($!); baseline_pid=$!
    wait_for_line "$work/baseline.log" "the baseline launcher"
fi

nginx_plain=$(free_port); nginx_keep=$(free_port); nginx_fixed=$(free_port)
sed -e "s|@WORK@|$work|g" -e "s|@SOCKET@|$socket|g" -e "s|@DOCROOT@|$docroot|g" \
    -e "s|@PORT_PLAIN@|$nginx_plain|g" -e "s|@PORT_KEEPALIVE@|$nginx_keep|g" -e "s|@PORT_FIXED@|$nginx_fixed|g" \
    "$bench/nginx/nginx.conf.template" > "$work/nginx.conf"
nginx -c "$work/nginx.conf"
for _ in $(seq 50); do [ -s "$work/nginx.pid" ] && break; sleep 0.1; done
nginx_pids=$(pgrep -d, -P "$(cat "$work/nginx.pid")")

# As many connections to PHP-FPM as it has children, like the launcher (Jetty's default is 64).
jetty_port=$(free_port)
java -Xmx512m -jar "$jetty_jar" --port "$jetty_port" --docroot "$docroot" --fpm "$socket" --max-connections 4 \
    > "$work/jetty.log" 2>&1 & pids+=($!); jetty_pid=$!
wait_for_line "$work/jetty.log" "Jetty"

# The servlet container alone, answering hello.php's body with no FastCGI (floor/ServletFloor.java).
floor_sync_port=$(free_port); floor_async_port=$(free_port)
java -Xmx512m -cp "$jar" "$bench/floor/ServletFloor.java" sync "$floor_sync_port" > "$work/floor-sync.log" 2>&1 &
pids+=($!); floor_sync_pid=$!
java -Xmx512m -cp "$jar" "$bench/floor/ServletFloor.java" async "$floor_async_port" > "$work/floor-async.log" 2>&1 &
pids+=($!); floor_async_pid=$!
wait_for_line "$work/floor-sync.log" "the servlet floor (sync)"
wait_for_line "$work/floor-async.log" "the servlet floor (async)"

# name|base URL|processes whose CPU counts as the front's
fronts=(
    "launcher|http://127.0.0.1:$launcher_port|$launcher_pid"
    "launcher keepalive off|http://127.0.0.1:$launcher_keep_port|$launcher_keep_pid"
    "launcher metrics scraped|http://127.0.0.1:$launcher_port|$launcher_pid"
    "launcher keepalive unverified|http://127.0.0.1:$launcher_unverified_port|$launcher_unverified_pid"
    "nginx|http://127.0.0.1:$nginx_plain|$nginx_pids"
    "nginx keepalive 16|http://127.0.0.1:$nginx_keep|$nginx_pids"
    "jetty fcgi-proxy|http://127.0.0.1:$jetty_port|$jetty_pid"
)
[ -n "$baseline_port" ] && fronts+=("baseline launcher|http://127.0.0.1:$baseline_port|$baseline_pid")
# name|path|connections|wrk script
tests=(
    "hello.php c64|/hello.php|64|"
    "hello.php c256|/hello.php|256|"
    "1 MiB PHP c16|/mib.php|16|"
    "1 MiB static c16|/static-1mib.bin|16|"
    "10 MiB upload c4|/upload.php|4|$bench/upload.lua"
)
if [ -n "${ONLY:-}" ]; then
    kept=()
    for test in "${tests[@]}"; do [[ "${test%%|*}" =~ $ONLY ]] && kept+=("$test"); done
    tests=("${kept[@]}")
fi

# A JVM is measured once its JIT has compiled the paths it serves; nginx needs no warm-up.
jvm_urls=("http://127.0.0.1:$launcher_port" "http://127.0.0.1:$launcher_keep_port"
    "http://127.0.0.1:$launcher_unverified_port" "http://127.0.0.1:$jetty_port"
    "http://127.0.0.1:$floor_sync_port" "http://127.0.0.1:$floor_async_port")
[ -n "$baseline_port" ] && jvm_urls+=("http://127.0.0.1:$baseline_port")
for url in "${jvm_urls[@]}"; do
    wrk -t2 -c64 -d"${JIT_WARMUP}s" "$url/hello.php" > /dev/null 2>&1 || true
    wrk -t2 -c16 -d5s "$url/mib.php" > /dev/null 2>&1 || true
    wrk -t2 -c16 -d3s "$url/static-1mib.bin" > /dev/null 2>&1 || true
    wrk -t2 -c4 -d3s -s "$bench/upload.lua" "$url/upload.php" > /dev/null 2>&1 || true
    # The first test is hello.php again: its code recompiles after the other paths, here, not in a round.
    wrk -t2 -c64 -d5s "$url/hello.php" > /dev/null 2>&1 || true
done

cpu_ticks() { # comma-separated pids: user + system clock ticks of all their threads
    local total=0 pid stat
    for pid in ${1//,/ }; do
        stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
        set -- ${stat##*) }
        total=$((total + ${12} + ${13}))
    done
    echo "$total"
}
ctx_switches() { # comma-separated pids: voluntary + involuntary context switches of all their threads
    cat $(for pid in ${1//,/ }; do echo /proc/"$pid"/task/*/status; done) 2>/dev/null \
        | awk '/^(voluntary|nonvoluntary)_ctxt_switches/ { s += $2 } END { print s + 0 }'
}
fpm_pids() { echo "$fpm_pid,$(pgrep -d, -P "$fpm_pid")"; }
to_ms() { # wrk latency like 812.00us / 5.26ms / 1.20s -> milliseconds
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
rows=$work/rows.tsv
: > "$rows"
tick_us=$((1000000 / $(getconf CLK_TCK)))
measure() { # rows file, front, front pids, test, url, connections, lua script or empty, warm-up seconds
    local rows_file=$1; shift
    local script=() out front_before fpm_before switches_before front_used fpm_used switches requests rps p50 p99 errors
    [ -n "$6" ] && script=(-s "$6")
    [ "$1" = "launcher metrics scraped" ] && touch "$scrape_flag"
    wrk -t2 -c"$5" -d"${7}s" "${script[@]}" "$4" > /dev/null 2>&1 || true
    front_before=$(cpu_ticks "$2"); fpm_before=$(cpu_ticks "$(fpm_pids)"); switches_before=$(ctx_switches "$2")
    out=$(wrk -t2 -c"$5" -d"${DURATION}s" --timeout 10s --latency "${script[@]}" "$4" 2>&1)
    front_used=$(( $(cpu_ticks "$2") - front_before )); fpm_used=$(( $(cpu_ticks "$(fpm_pids)") - fpm_before ))
    switches=$(( $(ctx_switches "$2") - switches_before ))
    rm -f "$scrape_flag"
    requests=$(echo "$out" | awk '/requests in/ { print $1 }')
    rps=$(echo "$out" | awk '/^Requests\/sec/ { print $2 }')
    p50=$(to_ms "$(echo "$out" | awk '$1 == "50%" { print $2 }')")
    p99=$(to_ms "$(echo "$out" | awk '$1 == "99%" { print $2 }')")
    errors=$(echo "$out" | awk '/Socket errors/ { gsub(",", ""); s += $4 + $6 + $8 + $10 } /Non-2xx/ { s += $NF } END { print s + 0 }')
    [ "${requests:-0}" -gt 0 ] || requests=1
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$3" "$rps" "$p50" "$p99" "$errors" \
        $((front_used * tick_us / requests)) $((fpm_used * tick_us / requests)) \
        "$(awk -v s="$switches" -v n="$requests" 'BEGIN { printf "%.2f", s / n }')" >> "$rows_file"
    printf '%-20s %-18s %10s req/s  p50 %8s ms  p99 %8s ms  errors %s\n' "$1" "$3" "$rps" "$p50" "$p99" "$errors"
}

# Every round measures each front once, starting with another front each time, so that a drift of
# the machine's speed during the run touches all fronts alike. A JVM recompiles when the test
# changes (the other paths changed its profile), so every front's first round of a test warms up
# longer.
measure_rounds() { # rows file, name of the fronts array, test name, path, connections, lua script or empty
    local -n of=$2
    local round warmup i name url front_pids
    for round in $(seq 0 $((ROUNDS - 1))); do
        warmup=$([ "$round" = 0 ] && echo "$SETTLE" || echo "$WARMUP")
        for i in $(seq 0 $((${#of[@]} - 1))); do
            IFS='|' read -r name url front_pids <<< "${of[$(( (i + round) % ${#of[@]} ))]}"
            measure "$1" "$name" "$front_pids" "$3" "$url$4" "$5" "$6" "$warmup"
        done
    done
}
for test in "${tests[@]}"; do
    IFS='|' read -r test_name path connections script <<< "$test"
    measure_rounds "$rows" fronts "$test_name" "$path" "$connections" "$script"
done

# --- the floor: every front at one request rate, far below what any of them can serve, so that CPU
# and context switches per request compare work done rather than how full each front ran. wrk waits
# PACE_DELAY ms between a response and the next request on each of PACE_CONNECTIONS connections. ---
PACE_CONNECTIONS=${PACE_CONNECTIONS:-32}
PACE_DELAY=${PACE_DELAY:-10}
echo "function delay() return $PACE_DELAY end" > "$work/pace.lua"
paced_fronts=(
    "launcher|http://127.0.0.1:$launcher_port|$launcher_pid"
    "launcher keepalive unverified|http://127.0.0.1:$launcher_unverified_port|$launcher_unverified_pid"
    "nginx|http://127.0.0.1:$nginx_plain|$nginx_pids"
    "servlet floor, async (no FastCGI)|http://127.0.0.1:$floor_async_port|$floor_async_pid"
    "servlet floor, sync (no FastCGI)|http://127.0.0.1:$floor_sync_port|$floor_sync_pid"
    "nginx answering itself (no FastCGI)|http://127.0.0.1:$nginx_fixed|$nginx_pids"
)
paced_rows=$work/paced.tsv
: > "$paced_rows"
if [ -z "${ONLY:-}" ] || [[ "paced" =~ $ONLY ]]; then
    measure_rounds "$paced_rows" paced_fronts "hello.php c$PACE_CONNECTIONS, ${PACE_DELAY} ms apart" /hello.php \
        "$PACE_CONNECTIONS" "$work/pace.lua"
fi

kill "$launcher_pid" "$launcher_keep_pid" "$launcher_unverified_pid" "$jetty_pid" "$floor_sync_pid" "$floor_async_pid" \
    ${baseline_pid:-}
nginx -c "$work/nginx.conf" -s stop
# The fronts' JVMs take a few seconds to exit; the clients below are measured on a quiet machine,
# after a warm-up long enough for C2 to have compiled their loop.
sleep 5
# --- the ceiling without HTTP: the bridge's client against a plain blocking one, same pool, in turn ---
ceiling_fields() { # a result line of either client -> req/s p50 p99 cpu
    sed -nE 's/.* ([0-9.]+) req\/s, p50 ([0-9.]+) ms, p99 ([0-9.]+) ms, client CPU ([0-9]+) .*/\1 \2 \3 \4/p' | head -1
}
ceiling="| client | connections | req/s | p50 ms | p99 ms | client CPU µs/req | req/s vs blocking | CPU vs blocking |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
ceiling_row() { # client, connections, its fields, the reference's req/s and CPU
    local name=$1 conns=$2 rps=$3 p50=$4 p99=$5 cpu=$6
    echo "| $name | $conns | ${rps%.*} | $p50 | $p99 | $cpu | $(awk -v a="$rps" -v b="$7" 'BEGIN { printf "%.2fx", a / b }') | $(awk -v a="$cpu" -v b="$8" 'BEGIN { printf "%.2fx", a / b }') |"
}
for transport in unix tcp; do
    if [ "$transport" = unix ]; then bench_at="unix://$socket" ref_at=$socket
    else bench_at="127.0.0.1:$fpm_tcp_port" ref_at="127.0.0.1:$fpm_tcp_port"; fi
    for conns in 2 4; do
        # The reuse probe is part of the bridge's client by default; the blocking reference has none,
        # so bench also runs without it (--keepalive unverified), which compares the clients alone.
        read -r b_rps b_p50 b_p99 b_cpu < <(java -jar "$jar" bench "$bench_at" "$docroot/hello.php" \
            --concurrency "$conns" --duration "${CEILING_DURATION}s" --warmup 5s | ceiling_fields)
        read -r u_rps u_p50 u_p99 u_cpu < <(java -jar "$jar" bench "$bench_at" "$docroot/hello.php" \
            --concurrency "$conns" --duration "${CEILING_DURATION}s" --warmup 5s --keepalive unverified | ceiling_fields)
        read -r r_rps r_p50 r_p99 r_cpu < <(java "$bench/reference/BlockingClient.java" "$ref_at" "$docroot/hello.php" \
            "$conns" "$CEILING_DURATION" 5 | ceiling_fields)
        ceiling+=$'\n'"$(ceiling_row "bench, $transport" "$conns" "$b_rps" "$b_p50" "$b_p99" "$b_cpu" "$r_rps" "$r_cpu")"
        ceiling+=$'\n'"$(ceiling_row "bench --keepalive unverified, $transport" "$conns" "$u_rps" "$u_p50" "$u_p99" "$u_cpu" "$r_rps" "$r_cpu")"
        ceiling+=$'\n'"$(ceiling_row "blocking reference, $transport" "$conns" "$r_rps" "$r_p50" "$r_p99" "$r_cpu" "$r_rps" "$r_cpu")"
    done
done

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

# --- the table: medians over the rounds, errors summed, ratios of medians ---
cpu_model=$(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }')
table_of() { # rows file -> markdown table
    awk -F'\t' -v model="$cpu_model" '
    function median(list,    n, values, i, j, t) {
        n = split(list, values, " ")
        for (i = 2; i <= n; i++) for (j = i; j > 1 && values[j - 1] + 0 > values[j] + 0; j--) {
            t = values[j]; values[j] = values[j - 1]; values[j - 1] = t
        }
        return n % 2 ? values[(n + 1) / 2] : (values[n / 2] + values[n / 2 + 1]) / 2
    }
    {
        key = $1 SUBSEP $2
        if (!(key in rps)) { order[++count] = key; front[key] = $1; test[key] = $2 }
        rps[key] = rps[key] " " $3; p50[key] = p50[key] " " $4; p99[key] = p99[key] " " $5
        errors[key] += $6; cpu[key] = cpu[key] " " $7; fpm[key] = fpm[key] " " $8; switches[key] = switches[key] " " $9
    }
    END {
        for (k in rps) { m[k] = median(rps[k]) }
        print "| front | test | req/s | p50 ms | p99 ms | errors + timeouts | front CPU µs/req | front context switches/req | PHP-FPM CPU µs/req | req/s vs nginx | front CPU vs nginx | req/s vs Jetty | CPU |"
        print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
        for (i = 1; i <= count; i++) {
            k = order[i]; nginx = "nginx" SUBSEP test[k]; jetty = "jetty fcgi-proxy" SUBSEP test[k]
            vs_nginx = (m[nginx] > 0) ? sprintf("%.2fx", m[k] / m[nginx]) : "-"
            cpu_vs_nginx = (median(cpu[nginx]) > 0) ? sprintf("%.2fx", median(cpu[k]) / median(cpu[nginx])) : "-"
            vs_jetty = (m[jetty] > 0) ? sprintf("%.2fx", m[k] / m[jetty]) : "-"
            printf "| %s | %s | %.0f | %.2f | %.2f | %d | %.0f | %.2f | %.0f | %s | %s | %s | %s |\n", front[k], test[k], m[k],
                median(p50[k]), median(p99[k]), errors[k], median(cpu[k]), median(switches[k]), median(fpm[k]),
                vs_nginx, cpu_vs_nginx, vs_jetty, model
        }
    }' "$1"
}
table=$(table_of "$rows")
paced_table=$([ -s "$paced_rows" ] && table_of "$paced_rows" || echo "(not measured: ONLY=${ONLY:-})")
report=$(cat <<REPORT
## Run of $(date -u '+%Y-%m-%d %H:%M UTC')

Machine: $(nproc) cores, $cpu_model, $(free -g | awk '/Mem:/ { print $2 }') GiB.
Command: \`itest/bench/compare.sh\` (DURATION=$DURATION s, WARMUP=$WARMUP s, SETTLE=$SETTLE s, ROUNDS=$ROUNDS, JIT_WARMUP=$JIT_WARMUP s; wrk 2 threads; PHP-FPM 4 static children on a Unix socket; launcher \`--max-connections 4\`, Jetty 4 connections, both -Xmx512m).
Each figure is the median of $ROUNDS measurements of $DURATION s; errors are summed over them.

$table

FastCGI straight to PHP-FPM, no HTTP (hello.php, a pool of 4 children on the Unix socket and one on loopback TCP; \`fastcgi-bridge.jar bench\` with and without the reuse probe and reference/BlockingClient.java in turn, $CEILING_DURATION s after a 5 s warm-up each; CPU is the whole client process):

$ceiling

The floor: every front at one rate ($PACE_CONNECTIONS connections, wrk waiting $PACE_DELAY ms between a response and the next request), beside an embedded Tomcat answering hello.php's body from a servlet (floor/ServletFloor.java; async: answered from one other thread, the least a servlet in front of a non-blocking client does) and nginx answering it itself:

$paced_table

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
