#!/bin/sh
# Small LVM2 fixtures for the LVM tests, made by LVM2's own tools (pvcreate, vgcreate, vgcfgrestore, vgchange) on loop
# devices, with the tools' answers beside them (lvs/vgs/pvs --reportformat json). Without device-mapper, LVs are
# written into the metadata with vgcfgbackup + vgcfgrestore; their contents follow fixture_tools.py's pattern. Each
# image is cut after its last non-zero 4 KiB, so LVs (and a second metadata area) past that point are "past the end
# of the PV" on purpose. Also writes the seeds of LvmFuzzTest. Run as root in this folder (lvm2, losetup, sgdisk).
set -eu
export LVM_SUPPRESS_FD_WARNINGS=1
here=$(pwd)
tools="python3 $here/fixture_tools.py"
out=fixtures
seeds=LvmFuzzTestInputs/physicalVolume
mkdir -p "$out" "$seeds"
work=$(mktemp -d)
loops=""
cleanup() {
    for loop in $loops; do losetup -d "$loop" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
CONFIG='backup { backup = 0 archive = 0 } devices { pv_min_size = 512 }'
DEVICES=""

attach() { # file [losetup options]: attaches a loop device, named in $loop (not in a subshell: $loops must grow)
    loop=$(losetup -f --show "$@")
    loops="$loops $loop"
    DEVICES="$DEVICES --devices $loop"
}
detach_all() {
    for loop in $loops; do losetup -d "$loop"; done
    loops="" DEVICES=""
}
lvm() { # command args...: an LVM command that only sees this script's loop devices
    command=$1
    shift
    # shellcheck disable=SC2086
    "$command" --config "$CONFIG" $DEVICES "$@" 2>"$work/lvm-err" >"$work/lvm-out" || {
        cat "$work/lvm-err" >&2
        exit 1
    }
    cat "$work/lvm-out"
}
restore() { # vg lv-text-file: adds the LVs in the file to the VG's metadata
    lvm vgcfgbackup -f "$work/$1.backup" "$1" >/dev/null
    $tools add-lvs "$work/$1.backup" "$2" "$work/$1.restore"
    lvm vgcfgrestore --force -f "$work/$1.restore" "$1" >/dev/null
}
answers() { # name vg: what LVM's reports say about the VG
    lvm lvs -a --reportformat json --units b --nosuffix -o vg_name,lv_name,lv_size,seg_count,lv_attr,lv_layout "$2" \
        > "$out/$1.lvs.json"
    lvm lvs -a --segments --reportformat json --units b --nosuffix \
        -o lv_name,seg_start_pe,seg_size_pe,segtype,stripes,stripe_size,seg_pe_ranges "$2" > "$out/$1.segs.json"
    lvm vgs --reportformat json --units b --nosuffix -o vg_name,vg_uuid,pv_count,vg_extent_size,vg_seqno,lv_count "$2" \
        > "$out/$1.vgs.json"
    lvm pvs --reportformat json --units b --nosuffix -o pv_uuid,pe_start,pv_pe_count,vg_name,pv_mda_count -S "vg_name=$2" \
        > "$out/$1.pvs.json"
}
linear() { # name lv text: one segment's LV text
    cat <<LV
		$1 {
			id = "$(printf '%s' "$1" | md5sum | cut -c1-6)-0000-0000-0000-0000-0000-000000"
			status = ["READ", "WRITE"$2]
			flags = []
			segment_count = 1
			segment1 {
				start_extent = 0
				extent_count = $3
				type = "striped"
				stripe_count = 1
				stripes = [ "$4", $5 ]
			}
		}
LV
}
lv_header() { # name visible segments
    cat <<LV
		$1 {
			id = "$(printf '%s' "$1" | md5sum | cut -c1-6)-0000-0000-0000-0000-0000-000000"
			status = ["READ", "WRITE"$2]
			flags = []
			segment_count = $3
LV
}
V=', "VISIBLE"'
K=16384 # extent size of every fixture VG
PE=65536 # pe_start of every fixture PV (--dataalignment 64k)

# 1. A whole-disk PV: linear LVs of one and two segments, a thin pool and a thin LV, an old
#    snapshot, a RAID1 LV, and an LV beyond the cut. Only lin, two and origin hold data.
truncate -s 1M "$work/whole.img"
attach "$work/whole.img"
pv=$loop
lvm pvcreate -y --metadatasize 32k --dataalignment 64k "$pv" >/dev/null
lvm vgcreate -s 16k fixvg "$pv" >/dev/null
{
    echo "	logical_volumes {"
    linear lin "$V" 2 pv0 0
    lv_header two "$V" 2
    cat <<LV
			segment1 {
				start_extent = 0
				extent_count = 1
				type = "striped"
				stripe_count = 1
				stripes = [ "pv0", 3 ]
			}
			segment2 {
				start_extent = 1
				extent_count = 2
				type = "striped"
				stripe_count = 1
				stripes = [ "pv0", 5 ]
			}
		}
LV
    lv_header pool "$V" 1
    cat <<LV
			segment1 {
				start_extent = 0
				extent_count = 2
				type = "thin-pool"
				metadata = "pool_tmeta"
				pool = "pool_tdata"
				transaction_id = 1
				chunk_size = 128
				discards = "passdown"
				zero_new_blocks = 1
			}
		}
LV
    lv_header thin1 "$V" 1
    cat <<LV
			segment1 {
				start_extent = 0
				extent_count = 8
				type = "thin"
				thin_pool = "pool"
				transaction_id = 0
				device_id = 1
			}
		}
LV
    linear pool_tdata "" 2 pv0 8
    linear pool_tmeta "" 1 pv0 10
    linear lvol0_pmspare "" 1 pv0 11
    linear origin "$V" 2 pv0 12
    linear snap "$V" 1 pv0 14
    lv_header snapshot0 "" 1
    cat <<LV
			segment1 {
				start_extent = 0
				extent_count = 2
				type = "snapshot"
				chunk_size = 8
				origin = "origin"
				cow_store = "snap"
			}
		}
LV
    lv_header mirrored "$V" 1
    cat <<LV
			segment1 {
				start_extent = 0
				extent_count = 1
				type = "raid1"
				device_count = 2
				region_size = 1024
				raids = [ "mirrored_rmeta_0", "mirrored_rimage_0", "mirrored_rmeta_1", "mirrored_rimage_1" ]
			}
		}
LV
    linear mirrored_rmeta_0 "" 1 pv0 16
    linear mirrored_rimage_0 "" 1 pv0 17
    linear mirrored_rmeta_1 "" 1 pv0 18
    linear mirrored_rimage_1 "" 1 pv0 19
    linear far "$V" 2 pv0 40
    echo "	}"
} > "$work/whole.lvs"
restore fixvg "$work/whole.lvs"
answers whole-disk-pv fixvg
detach_all
$tools linear "$work/whole.img" lin 0 $((2 * K)) $PE
$tools linear "$work/whole.img" two 0 $K $((PE + 3 * K))
$tools linear "$work/whole.img" two $K $((2 * K)) $((PE + 5 * K))
$tools linear "$work/whole.img" origin 0 $((2 * K)) $((PE + 12 * K))
$tools trim "$work/whole.img"
cp "$work/whole.img" "$out/whole-disk-pv.img"

# 2. Metadata that wraps around the end of its circular buffer: vgchange --addtag until the committed copy does.
truncate -s 1M "$work/ring.img"
attach "$work/ring.img"
pv=$loop
lvm pvcreate -y --metadatasize 32k --dataalignment 64k "$pv" >/dev/null
lvm vgcreate -s 16k ring "$pv" >/dev/null
{
    echo "	logical_volumes {"
    linear lin "$V" 2 pv0 0
    for i in 1 2 3 4 5 6 7 8; do linear "filler$i" "$V" 1 pv0 $((10 + i)); done
    echo "	}"
} > "$work/ring.lvs"
restore ring "$work/ring.lvs"
round=0
while :; do
    round=$((round + 1))
    lvm vgchange --addtag "round$round" ring >/dev/null
    headers=$(pvck --config "$CONFIG" --dump headers "$pv" 2>/dev/null)  # pvck refuses --devices
    ring=$(echo "$headers" | sed -n 's/.*mda_header_1.size \([0-9]*\).*/\1/p')
    offset=$(echo "$headers" | sed -n 's/.*mda_header_1.raw_locn\[0\].offset \([0-9]*\).*/\1/p')
    size=$(echo "$headers" | sed -n 's/.*mda_header_1.raw_locn\[0\].size \([0-9]*\).*/\1/p')
    [ $((offset + size)) -gt "$ring" ] && break
    [ $round -lt 200 ] || { echo "the metadata never wrapped" >&2; exit 1; }
done
echo "$headers" > "$out/wrapped-pv.pvck.txt"
answers wrapped-pv ring
detach_all
$tools linear "$work/ring.img" lin 0 $((2 * K)) $PE
$tools trim "$work/ring.img"
cp "$work/ring.img" "$out/wrapped-pv.img"

# 3. Two PVs of one VG as two GPT partitions of one disk: a striped LV over both, a linear LV spanning both.
truncate -s 1216K "$work/gpt.img"
sgdisk -a 1 -n 1:64:1215 -t 1:8E00 -n 2:1216:2367 -t 2:8E00 "$work/gpt.img" >/dev/null 2>&1
P1=$((64 * 512)) P2=$((1216 * 512)) PSIZE=$((1152 * 512))
attach -o $P1 --sizelimit $PSIZE "$work/gpt.img"
pv1=$loop
attach -o $P2 --sizelimit $PSIZE "$work/gpt.img"
pv2=$loop
lvm pvcreate -y --metadatasize 32k --dataalignment 64k "$pv1" "$pv2" >/dev/null
lvm vgcreate -s 16k duo "$pv1" "$pv2" >/dev/null
{
    echo "	logical_volumes {"
    lv_header striped "$V" 1
    cat <<LV
			segment1 {
				start_extent = 0
				extent_count = 4
				type = "striped"
				stripe_count = 2
				stripe_size = 16
				stripes = [ "pv0", 0, "pv1", 0 ]
			}
		}
LV
    lv_header span "$V" 2
    cat <<LV
			segment1 {
				start_extent = 0
				extent_count = 2
				type = "striped"
				stripe_count = 1
				stripes = [ "pv0", 4 ]
			}
			segment2 {
				start_extent = 2
				extent_count = 2
				type = "striped"
				stripe_count = 1
				stripes = [ "pv1", 4 ]
			}
		}
LV
    echo "	}"
} > "$work/duo.lvs"
restore duo "$work/duo.lvs"
answers gpt-two-pvs duo
detach_all
$tools striped "$work/gpt.img" striped 0 $((4 * K)) 8192 $((P1 + PE)) $((P2 + PE))
$tools linear "$work/gpt.img" span 0 $((2 * K)) $((P1 + PE + 4 * K))
$tools linear "$work/gpt.img" span $((2 * K)) $((2 * K)) $((P2 + PE + 4 * K))
$tools trim "$work/gpt.img"
cp "$work/gpt.img" "$out/gpt-two-pvs.img"

# 4. A VG of three PVs of which only the first is kept: LVs on it, on a missing PV, and across both.
for i in 0 1 2; do truncate -s 1M "$work/trio$i.img"; done
attach "$work/trio0.img"
t0=$loop
attach "$work/trio1.img"
t1=$loop
attach "$work/trio2.img"
t2=$loop
lvm pvcreate -y --metadatasize 32k --dataalignment 64k "$t0" "$t1" "$t2" >/dev/null
lvm vgcreate -s 16k trio "$t0" "$t1" "$t2" >/dev/null
{
    echo "	logical_volumes {"
    linear here "$V" 2 pv0 0
    linear gone "$V" 2 pv1 0
    lv_header across "$V" 2
    cat <<LV
			segment1 {
				start_extent = 0
				extent_count = 1
				type = "striped"
				stripe_count = 1
				stripes = [ "pv0", 2 ]
			}
			segment2 {
				start_extent = 1
				extent_count = 1
				type = "striped"
				stripe_count = 1
				stripes = [ "pv2", 0 ]
			}
		}
LV
    echo "	}"
} > "$work/trio.lvs"
restore trio "$work/trio.lvs"
answers missing-pv trio
detach_all
$tools linear "$work/trio0.img" here 0 $((2 * K)) $PE
$tools trim "$work/trio0.img"
cp "$work/trio0.img" "$out/missing-pv.img"

# Fuzz seeds: the whole-disk PVs, the first one cut to 96 KiB like the others (its LV lin still reads); and their
# metadata texts alone, for the fuzz method that wraps a text into a PV with the right checksums.
for name in wrapped-pv missing-pv; do cp "$out/$name.img" "$seeds/$name"; done
head -c 98304 "$out/whole-disk-pv.img" > "$seeds/whole-disk-pv"
mkdir -p LvmFuzzTestInputs/metadataText
for name in whole-disk-pv wrapped-pv missing-pv; do
    $tools metadata-text "$out/$name.img" "LvmFuzzTestInputs/metadataText/$name"
done
