#!/usr/bin/env bash
# Checks target/disklens, the launcher script, as a user runs it (mvn verify runs this after packaging):
# its start-up cache is recorded on a verb's first run without a word on stdout, built in the background,
# used by the next run, and dropped when the jar is newer. Needs qemu-img for a small image.
#   src/test/launcher/check-launcher.sh [TARGET_DIR]
set -euo pipefail
target=$(cd "${1:-$(dirname "$0")/../../../target}" && pwd)
disklens="$target/disklens"
work=$(mktemp -d "${TMPDIR:-/tmp}/disklens-launcher.XXXXXX")
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME="$work/cache"
fail() { echo "check-launcher: $*" >&2; exit 1; }
trap 'echo "check-launcher: a step failed at line $LINENO" >&2' ERR

command -v qemu-img >/dev/null || { echo "check-launcher: skipped (no qemu-img)"; exit 0; }
qemu-img create -q -f qcow2 "$work/disk.qcow2" 64M

# wait_for FILE: the background build of a cache takes a second or two.
wait_for() {
    for _ in $(seq 100); do [ -f "$1" ] && return 0; sleep 0.2; done
    fail "no start-up cache $1 after 20 s; the cache folder has: $(ls "$XDG_CACHE_HOME/disklens")"
}

first=$("$disklens" info --json "$work/disk.qcow2")
cache="$XDG_CACHE_HOME/disklens/disklens-$(id -u)-info-json.aot"
wait_for "$cache"
second=$("$disklens" info --json "$work/disk.qcow2")
[ "$first" = "$second" ] || fail "the recording run printed something else than the cached run:
$first
---
$second"
[[ "$first" == "{"*"}" ]] || fail "info --json printed more than JSON: $first"

# A usage error still exits 1 with one line, recorded or not.
status=0
error=$("$disklens" info --no-such-option "$work/disk.qcow2" 2>&1) || status=$?
[ "$status" = 1 ] && [ "$(printf '%s\n' "$error" | wc -l)" = 1 ] || fail "usage error: exit $status, '$error'"

# A jar newer than the cache: the cache is dropped before the JVM starts, and made again.
sleep 1
touch "$target/disklens.jar"
third=$("$disklens" info --json "$work/disk.qcow2")
[ "$third" = "$first" ] || fail "after a rebuild: $third"
wait_for "$cache"
[ "$cache" -nt "$target/disklens.jar" ] || fail "the stale cache was kept"
for _ in $(seq 50); do ls "$XDG_CACHE_HOME/disklens" | grep -q 'config$' || break; sleep 0.2; done
ls "$XDG_CACHE_HOME/disklens" | grep -q 'config$' && fail "a recording was left behind: $(ls "$XDG_CACHE_HOME/disklens")"
# The window's cache. cat and df are verbs (they once started as "the window" and wrote its cache); a window launch
# that finds no display says so in one line, whatever an earlier version left in the cache (an empty class-data
# archive made every launch print a JVM warning), and records nothing.
ls_cache() { ls "$XDG_CACHE_HOME/disklens"; }
"$disklens" df "$work/disk.qcow2" >/dev/null
ls_cache | grep -q window && fail "df made a window cache: $(ls_cache)"
: > "$XDG_CACHE_HOME/disklens/disklens-$(id -u)-window.jsa"
status=0
said=$(env -u DISPLAY -u WAYLAND_DISPLAY "$disklens" "$work/disk.qcow2" 2>&1) || status=$?
[ "$status" = 1 ] && [ "$(printf '%s\n' "$said" | wc -l)" = 1 ] && [[ "$said" == "disklens: no display"* ]] \
    || fail "a launch without a display: exit $status, '$said'"
ls_cache | grep -q window && fail "a launch without a window left a window cache or recording: $(ls_cache)"
# Under a real (virtual) display, where Xvfb and GTK are installed: a launch prints nothing, its recording becomes the
# next windows' cache, and a launch with that cache prints nothing either.
if command -v Xvfb >/dev/null && ldconfig -p 2>/dev/null | grep -q libgtk-3; then
    display=:$(( 150 + RANDOM % 100 ))
    Xvfb "$display" -nolisten tcp >/dev/null 2>&1 &
    xvfb=$!
    sleep 1
    mkdir -m 700 "$work/runtime"
    window() {
        DISPLAY=$display XDG_RUNTIME_DIR="$work/runtime" DISKLENS_JAVA_OPTIONS="-Ddisklens.startup.trace=$work/trace \
            -Ddisklens.startup.exit=true" timeout 60 "$disklens" "$work/disk.qcow2" 2>&1
    }
    said=$(window) || fail "the window did not start and stop: $said"
    [ -z "$said" ] || fail "a window launch printed: $said"
    wait_for "$XDG_CACHE_HOME/disklens/disklens-$(id -u)-window.aot"
    said=$(window) || fail "the window did not start with its cache: $said"
    [ -z "$said" ] || fail "a window launch with the cache printed: $said"
    kill $xvfb
fi
# Reached through a symbolic link (say from ~/bin), it still finds its jar.
ln -s "$disklens" "$work/linked"
[ "$("$work/linked" --version)" = "$("$disklens" --version)" ] || fail "a link to the launcher does not run it"
echo "check-launcher: ok"
