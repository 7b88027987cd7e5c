#!/usr/bin/env bash
# Benchmark: how long the window takes to start on a 16 TiB qcow2, as a double-click starts it (target/disklens
# FILE), under a private Xvfb display: from the launcher's start to the first frame, and to the first frame that
# shows the image's Overview (the app notes both moments with -Ddisklens.startup.trace and closes itself).
#   cold:          no start-up cache (removed before each run)
#   with cache:    the launcher's window cache, made by a first run and its background step
# Best of N runs each. Needs Xvfb (apt-get install xvfb), GTK 3 (libgtk-3-0), qemu-img and qemu-io, and a built
# target/disklens (mvn package -DskipTests).   Usage: src/test/bench/window-start.sh [runs]
# BENCH_VERBOSE=1 also prints each launch's moments (main, early-open, early-opened, fx-start, models-built,
# view-built, arguments-opened, show-returned, window-shown, overview-drawn), each with the process's CPU time so far.
set -euo pipefail
runs=${1:-5}
top=$(cd "$(dirname "$0")/../../.." && pwd)
disklens="$top/target/disklens"
[ -x "$disklens" ] || { echo "build first: mvn -q package -DskipTests" >&2; exit 1; }
command -v Xvfb >/dev/null || { echo "needs Xvfb: apt-get install xvfb" >&2; exit 1; }
work=$(mktemp -d)
display=:$(( 90 + RANDOM % 100 ))
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 1
export DISPLAY=$display XDG_CACHE_HOME="$work/cache" XDG_RUNTIME_DIR="$work/runtime"
mkdir -m 700 "$XDG_RUNTIME_DIR"

qemu-img create -q -f qcow2 "$work/big.qcow2" 16T
qemu-io -f qcow2 -c 'write -P 1 0 1M' -c 'write -P 2 8T 1M' -c 'write -P 3 16383G 64k' "$work/big.qcow2" >/dev/null

# One launch; prints "SHOWN_MS DRAWN_MS" after the launcher's start, or "fail".
launch() {
    local trace="$work/trace" start out
    rm -f "$trace"
    start=$(date +%s%3N)
    out=$(DISKLENS_JAVA_OPTIONS="-Ddisklens.startup.trace=$trace -Ddisklens.startup.exit=true" \
        timeout 60 "$disklens" "$work/big.qcow2" 2>&1) || true
    if [ -n "$out" ]; then echo "window-start: the launch printed: $out" >&2; fi
    if [ -n "${BENCH_VERBOSE:-}" ]; then awk -v start="$start" '{ printf "%s %d ms (cpu %d ms)  ", $1, $2 - start, $3 }
        END { print "" }' "$trace" >&2; fi
    awk -v start="$start" '$1 == "window-shown" { s = $2 - start } $1 == "overview-drawn" { d = $2 - start }
        END { if (s == "" || d == "") print "fail"; else print s, d }' "$trace" 2>/dev/null || echo fail
}

# Best of $runs launches, each after $1 (a command run untimed before it); prints "SHOWN DRAWN".
best() {
    local shown="" drawn="" result
    for _ in $(seq "$runs"); do
        eval "$1"
        result=$(launch)
        [ "$result" = fail ] && { echo "fail fail"; return; }
        set -- "$1" $result
        if [ -z "$drawn" ] || [ "$3" -lt "$drawn" ]; then shown=$2; drawn=$3; fi
    done
    echo "$shown $drawn"
}

# The launcher makes its window cache after a run, in the background: wait until nothing is left to build.
settle() {
    for _ in $(seq 150); do
        if ! ls "$XDG_CACHE_HOME/disklens" 2>/dev/null | grep -q -e 'config$' -e '\.[0-9]*\.aot$'; then break; fi
        sleep 0.2
    done
    sleep 0.5
}

cold=$(best 'rm -rf "$XDG_CACHE_HOME"')
rm -rf "$XDG_CACHE_HOME"; launch >/dev/null; settle
cached=$(best 'settle')
printf '| %-28s | %16s | %18s |\n' "window on a 16 TiB qcow2" "first frame (ms)" "Overview drawn (ms)"
printf '| %-28s | %16s | %18s |\n' "cold, best of $runs" ${cold}
printf '| %-28s | %16s | %18s |\n' "with the cache, best of $runs" ${cached}
