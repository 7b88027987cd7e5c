#!/usr/bin/env bash
# The checks check-deb.sh and check-rpm.sh share, on a package's unpacked files (ROOT/opt/disklens): run by them,
# not on its own.   Usage: installers/linux/check-app.sh ROOT WORK
#   runtime    the bundled runtime holds exactly the modules jdeps finds the packaged jars need (and their
#              closure: `java --list-modules` of the runtime = a JDK's `--limit-modules` of that list, the same
#              as its release file's MODULES), keeps the JDK's class-data-sharing archive, and no JDK tools
#   verbs      the PATH command (the launcher script on the bundled runtime, through a link as /usr/bin/disklens)
#              runs every verb on real images made by qemu-img and mkfs.ext4: info, map, check, compare, convert,
#              measure, snapshot -l, ls, extract, cat, df, vms
#   desktop    the desktop entry (Exec %F, the eight image MIME types, its icon) and the AppStream metadata, which
#              appstreamcli validates (when installed) and which names that desktop entry and those MIME types
#   man, completion   disklens(1) formats, lists every verb of `disklens help`; completion of `disklens con`
#              and `disklens convert -O ` by bash with the packaged script
#   javafx     JavaFX's native libraries beside its jars (where it loads them from), not also inside them
#   window     under Xvfb (when installed), `disklens IMAGE` maps a DiskLens window and prints nothing; the window's
#              compiler directives are beside the launcher
set -euo pipefail
root=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
app="$root/opt/disklens"
fail() { echo "check: $*" >&2; exit 1; }
mimes="application/x-qemu-disk application/x-vmdk-disk application/x-raw-disk-image application/x-cd-image
    application/x-vhd-disk application/x-vhdx-disk application/x-vdi-disk application/ovf"

# --- runtime
runtime="$app/lib/runtime"
wanted=$("$here/runtime-modules.sh" "$app/lib/app")
. "$here/jdk.sh"
"$jdk/bin/java" --limit-modules "$wanted" --list-modules | sed 's/@.*//' | sort > "$work/modules-wanted"
"$runtime/bin/java" --list-modules | sed 's/@.*//' | sort > "$work/modules-runtime"
diff "$work/modules-wanted" "$work/modules-runtime" > "$work/modules-diff" \
    || fail "the runtime's modules are not jdeps' ($wanted): $(cat "$work/modules-diff")"
sed -n 's/^MODULES="\(.*\)"/\1/p' "$runtime/release" | tr ' ' '\n' | sort > "$work/modules-release"
cmp -s "$work/modules-release" "$work/modules-runtime" || fail "the runtime's release file lists other modules"
[ -s "$runtime/lib/server/classes.jsa" ] || fail "the runtime has no class-data-sharing archive"
for tool in javac jshell javadoc jlink jpackage; do
    [ ! -e "$runtime/bin/$tool" ] || fail "the runtime carries the JDK tool $tool"
done

# --- javafx
[ -s "$app/lib/app/lib/libglass.so" ] || fail "JavaFX's libglass.so is not beside its jars in lib/app/lib"
for jar in "$app"/lib/app/lib/javafx-*.jar; do
    ! "$jdk/bin/jar" tf "$jar" | grep -q '\.so$' || fail "$(basename "$jar") still holds native libraries"
done

# --- verbs, through a link as /usr/bin/disklens is (its start-up caches kept out of the user's own)
[ -x "$app/lib/app/disklens" ] || fail "no launcher script at /opt/disklens/lib/app/disklens"
ln -s "$app/lib/app/disklens" "$work/disklens"
export XDG_CACHE_HOME="$work/cache" DISKLENS_JAVA= JAVA_HOME=
disklens() { "$work/disklens" "$@"; }
grep -q "^+ $app/lib/app/../runtime/bin/java " <(sh -x "$work/disklens" --version 2>&1) \
    || fail "the PATH command does not run the bundled runtime"
mkdir -p "$work/tree/etc" "$work/vms"
echo "hello from the guest" > "$work/tree/etc/motd"
mkfs.ext4 -q -F -d "$work/tree" -L guest "$work/fs.raw" 16M > /dev/null
qemu-img convert -f raw -O qcow2 "$work/fs.raw" "$work/disk.qcow2"
qemu-img snapshot -c before "$work/disk.qcow2"
cat > "$work/vms/guest.xml" <<XML
<domain type='kvm'><name>guest</name><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
<source file='$work/disk.qcow2'/><target dev='vda' bus='virtio'/></disk></devices></domain>
XML
verb() { # verb EXPECTED_TEXT ARGS...: the command succeeds and prints EXPECTED_TEXT
    local expected=$1; shift
    disklens "$@" > "$work/out" 2> "$work/err" || fail "disklens $*: exit $?: $(head -3 "$work/err")"
    [ -z "$expected" ] || grep -q -- "$expected" "$work/out" || fail "disklens $*: no '$expected' in: $(head -5 "$work/out")"
}
verb '"format": "qcow2"' info --json "$work/disk.qcow2"
grep -q '"virtual-size": 16777216' "$work/out" || fail "info: wrong virtual size: $(cat "$work/out")"
verb '"data": true' map --json "$work/disk.qcow2"
verb 'No errors' check "$work/disk.qcow2"
verb 'Images are identical.' compare "$work/disk.qcow2" "$work/fs.raw"
verb '' convert -O vmdk "$work/disk.qcow2" "$work/disk.vmdk"
qemu-img compare -q "$work/disk.vmdk" "$work/fs.raw" || fail "convert: qemu-img finds the VMDK differs"
verb 'required size' measure -O qcow2 "$work/fs.raw"
verb 'before' snapshot -l "$work/disk.qcow2"
verb 'motd' ls "$work/disk.qcow2" /etc
verb '' extract "$work/disk.qcow2" /etc/motd "$work/motd"
cmp -s "$work/motd" "$work/tree/etc/motd" || fail "extract: the file differs"
verb 'hello from the guest' cat "$work/disk.qcow2" /etc/motd
verb 'ext4' df "$work/disk.qcow2"
verb 'guest' vms --dir "$work/vms" --uses "$work/disk.qcow2"
disklens frobnicate > /dev/null 2> "$work/err" && fail "an unknown verb succeeded"
[ "$(wc -l < "$work/err")" -eq 1 ] || fail "an unknown verb gave more than one line: $(cat "$work/err")"

# --- desktop entry and AppStream metadata
desktop=$(ls "$app"/lib/*.desktop)
grep -q '^Exec=.*%F' "$desktop" || fail "desktop entry's Exec lacks %F"
metainfo="$app/lib/share/metainfo/org.disklens.DiskLens.metainfo.xml"
[ -s "$metainfo" ] || fail "no AppStream metadata in lib/share/metainfo"
for mime in $mimes; do
    grep -q "^MimeType=.*$mime;" "$desktop" || fail "desktop entry lacks $mime"
    grep -q "<mediatype>$mime</mediatype>" "$metainfo" || fail "AppStream metadata lacks $mime"
done
grep -q '<launchable type="desktop-id">disklens.desktop</launchable>' "$metainfo" \
    || fail "AppStream metadata does not name the desktop entry disklens.desktop"
for size in 16 24 32 48 64 128 256; do
    [ -s "$app/lib/icons/disklens-$size.png" ] || fail "icon disklens-$size.png missing"
done
icon=$(sed -n 's/^Icon=//p' "$desktop")
[ -s "$root$icon" ] || fail "desktop entry's icon $icon missing"
if command -v appstreamcli > /dev/null; then
    appstreamcli validate --no-net "$metainfo" > "$work/appstream" 2>&1 || fail "appstreamcli: $(cat "$work/appstream")"
else
    echo "check: appstreamcli not installed: AppStream metadata not validated" >&2
fi

# --- man page and completion
page="$app/lib/share/man/man1/disklens.1.gz"
[ -s "$page" ] || fail "no man page in lib/share/man/man1"
zcat "$page" | groff -man -Tutf8 -ww -z 2> "$work/groff" && [ ! -s "$work/groff" ] || fail "groff: $(cat "$work/groff")"
help_verbs=$(disklens help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p' | grep -v '^help$')
page_verbs=$(zcat "$page" | sed -n 's/^\.SS "disklens \([a-z]*\) .*/\1/p' | grep -v '^help$')
[ "$help_verbs" = "$page_verbs" ] || fail "man page verbs ($(echo $page_verbs)) are not help's ($(echo $help_verbs))"
completion="$app/lib/share/bash-completion/completions/disklens"
[ -s "$completion" ] || fail "no bash completion in lib/share/bash-completion/completions"
complete_words() { # complete_words WORD...: COMPREPLY for the last word
    (cd "$work/vms" && bash --norc --noprofile -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
        _disklens; echo "${COMPREPLY[*]}"' - "$completion" "$@")
}
[ "$(complete_words disklens con)" = convert ] || fail "completion of 'disklens con': $(complete_words disklens con)"
[[ " $(complete_words disklens convert -O '') " == *" qcow2 "* ]] || fail "completion of 'disklens convert -O '"

# --- the window
if command -v Xvfb > /dev/null && command -v xwininfo > /dev/null; then
    display=:$(( 200 + RANDOM % 100 ))
    Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp > /dev/null 2>&1 &
    xvfb=$!
    trap 'kill $xvfb 2> /dev/null || true' EXIT
    for _ in $(seq 50); do DISPLAY=$display xwininfo -root > /dev/null 2>&1 && break; sleep 0.1; done
    DISPLAY=$display "$work/disklens" "$work/disk.qcow2" > "$work/window.log" 2>&1 &
    window=$!
    for _ in $(seq 600); do
        DISPLAY=$display xwininfo -root -tree 2> /dev/null | grep -q '"DiskLens' && break
        kill -0 "$window" 2> /dev/null || fail "the window's process ended: $(tail -3 "$work/window.log")"
        sleep 0.1
    done
    DISPLAY=$display xwininfo -root -tree | grep -q '"DiskLens' || fail "no DiskLens window within 60 s"
    kill "$window"; wait "$window" 2> /dev/null || true
    [ -s "$app/lib/app/window-compilers.json" ] || fail "no window-compilers.json beside the launcher"
    [ ! -s "$work/window.log" ] || fail "the window printed: $(head -3 "$work/window.log")"
else
    echo "check: Xvfb or xwininfo not installed: the window not checked" >&2
fi
