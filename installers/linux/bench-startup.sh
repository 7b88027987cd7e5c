#!/usr/bin/env bash
# Start-up times of a built .deb, run from its unpacked files as /usr/bin/disklens runs them (the launcher
# script on the bundled runtime), median of N runs each:
#   info (AOT cache)  `disklens info IMAGE` with the launcher's start-up cache made (a user's every run after the first)
#   info (no cache)   the same with no cache folder: the runtime's own class-data-sharing archive only
#   window            `disklens IMAGE` under Xvfb until its window is mapped (its CDS archive made by a first run)
# Needs qemu-img, Xvfb and xwininfo (x11-utils).   Usage: installers/linux/bench-startup.sh PACKAGE.deb [RUNS]
set -euo pipefail
deb=$(readlink -f "$1")
runs=${2:-11}
work=$(mktemp -d "${TMPDIR:-/tmp}/disklens-bench.XXXXXX")
xvfb=
cleanup() { [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
dpkg-deb -x "$deb" "$work/root"
disklens="$work/root/opt/disklens/lib/app/disklens"
qemu-img create -q -f qcow2 "$work/disk.qcow2" 1G
export DISKLENS_JAVA= JAVA_HOME= XDG_CACHE_HOME="$work/cache" XDG_RUNTIME_DIR="$work"

now() { date +%s%N; }
# median MILLISECONDS...: the middle one.
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
# time_command COMMAND...: "WALL ms, CPU ms" (medians; CPU is user + system of the whole run, which a machine
# busy with other work changes less than the wall-clock time).
time_command() {
    local walls=() cpus=() measured TIMEFORMAT='%R %U %S'
    for _ in $(seq "$runs"); do
        measured=$( { time "$@" > /dev/null 2>&1; } 2>&1 )
        read -r real user sys <<< "$measured"
        walls+=($(awk -v r="$real" 'BEGIN { printf "%d", r * 1000 }'))
        cpus+=($(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }'))
    done
    echo "$(median "${walls[@]}") ms wall, $(median "${cpus[@]}") ms CPU"
}

"$disklens" info "$work/disk.qcow2" > /dev/null   # records the AOT cache, built in the background
for _ in $(seq 100); do [ -f "$work/cache/disklens/disklens-$(id -u)-info.aot" ] && break; sleep 0.2; done
info_cached=$(time_command "$disklens" info "$work/disk.qcow2")
info_plain=$(XDG_CACHE_HOME=/proc/disklens-no-cache time_command "$disklens" info "$work/disk.qcow2")

window="n/a"
if command -v Xvfb > /dev/null && command -v xwininfo > /dev/null; then
    display=:$(( 90 + RANDOM % 100 ))
    Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp > /dev/null 2>&1 &
    xvfb=$!
    export DISPLAY=$display
    for _ in $(seq 50); do xwininfo -root > /dev/null 2>&1 && break; sleep 0.1; done
    # open_window: milliseconds until a DiskLens window is mapped; then the window is closed (its JVM ends).
    open_window() {
        local start pid
        start=$(now)
        "$disklens" "$work/disk.qcow2" > /dev/null 2>&1 &
        pid=$!
        until xwininfo -root -tree 2>/dev/null | grep -q '"DiskLens'; do
            kill -0 "$pid" 2>/dev/null || { echo "bench: the window did not open" >&2; return 1; }
            sleep 0.02
        done
        echo $(( ($(now) - start) / 1000000 ))
        kill "$pid"; wait "$pid" 2>/dev/null || true
    }
    open_window > /dev/null   # the first window writes its class-data-sharing archive as it closes
    times=()
    for _ in $(seq "$runs"); do times+=($(open_window)); done
    window=$(median "${times[@]}")
fi
modules=$(sed -n 's/^MODULES="\(.*\)"/\1/p' "$work/root/opt/disklens/lib/runtime/release" | wc -w)
echo "package: $(basename "$deb") $(( $(stat -c %s "$deb") / 1024 / 1024 )) MiB ($(stat -c %s "$deb") bytes)," \
    "unpacked $(du -sm "$work/root/opt/disklens" | cut -f1) MiB, runtime $(du -sm "$work/root/opt/disklens/lib/runtime" | cut -f1) MiB, $modules modules"
echo "start, median of $runs: info with AOT cache $info_cached; info without cache $info_plain; window $window ms wall"
echo "load average: $(cut -d" " -f1-3 /proc/loadavg)"
