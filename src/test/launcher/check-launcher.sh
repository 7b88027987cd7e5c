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
# Reached through a symbolic link (say from ~/bin), it still finds its jar.
ln -s "$disklens" "$work/linked"
[ "$("$work/linked" --version)" = "$("$disklens" --version)" ] || fail "a link to the launcher does not run it"
echo "check-launcher: ok"
