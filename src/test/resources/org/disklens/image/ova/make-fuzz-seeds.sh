#!/bin/sh
# Seeds for OvaFuzzTest: small OVAs packed by GNU tar (ustar, GNU and pax formats) around an OVF 1.0 descriptor and
# 1 MiB streamOptimized VMDKs from qemu-img, with and without a manifest; OVAs whose disk is gzip'd (gzip -c) and a
# gzip file of two members for convertGzipDisk and inflateGzip; and loose descriptors for OvfFuzzTest.
# Run in this folder.
set -eu
here=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ova="$here/OvaFuzzTestInputs/openMapReadCheck"
ovf="$here/OvfFuzzTestInputs/openMapReadCheck"
gz="$here/OvaFuzzTestInputs/convertGzipDisk"
raw="$here/OvaFuzzTestInputs/inflateGzip"
mkdir -p "$ova" "$ovf" "$gz" "$raw"
rm -f "$ova"/[a-z].ova "$ovf"/[a-z].ovf "$gz"/[a-z].ova "$raw"/[a-z].gz
cd "$work"
qemu-img create -q -f raw src.raw 1M
qemu-io -f raw -c "write -P 0x11 0 4k" -c "write -P 0x22 512k 4k" src.raw >/dev/null
qemu-img convert -O vmdk -o subformat=streamOptimized src.raw disk1.vmdk
descriptor() { # name disk-href...
  name=$1; shift
  printf '<?xml version="1.0" encoding="UTF-8"?>\n'
  printf '<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" '
  printf 'xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" '
  printf 'xmlns:vmw="http://www.vmware.com/schema/ovf">\n  <References>\n'
  i=1; for href in "$@"; do printf '    <File ovf:href="%s" ovf:id="file%d"/>\n' "$href" $i; i=$((i+1)); done
  printf '  </References>\n  <DiskSection>\n    <Info>disks</Info>\n'
  i=1; for href in "$@"; do
    printf '    <Disk ovf:capacity="1" ovf:capacityAllocationUnits="byte * 2^20" ovf:diskId="vmdisk%d" ovf:fileRef="file%d" ' $i $i
    printf 'ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"/>\n'; i=$((i+1)); done
  printf '  </DiskSection>\n  <NetworkSection>\n    <Info>networks</Info>\n    <Network ovf:name="VM Network"/>\n  </NetworkSection>\n'
  printf '  <VirtualSystem ovf:id="%s">\n    <Info>vm</Info>\n    <Name>%s</Name>\n' "$name" "$name"
  printf '    <OperatingSystemSection ovf:id="96" vmw:osType="debian10_64Guest"><Info>os</Info></OperatingSystemSection>\n'
  printf '    <VirtualHardwareSection>\n      <Info>hw</Info>\n'
  printf '      <Item><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>2</rasd:VirtualQuantity></Item>\n'
  printf '      <Item><rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits><rasd:ResourceType>4</rasd:ResourceType>'
  printf '<rasd:VirtualQuantity>512</rasd:VirtualQuantity></Item>\n'
  printf '    </VirtualHardwareSection>\n  </VirtualSystem>\n</Envelope>\n'
}
descriptor a disk1.vmdk > a.ovf
tar --format=ustar -cf "$ova/a.ova" a.ovf disk1.vmdk
descriptor b disk1.vmdk > b.ovf
sha256sum b.ovf disk1.vmdk | awk '{ print "SHA256(" $2 ")= " $1 }' > b.mf
tar -cf "$ova/b.ova" b.ovf b.mf disk1.vmdk
long=an-appliance-disk-named-past-the-hundred-bytes-of-a-ustar-header-name-field-so-pax-holds-it-disk1.vmdk
cp disk1.vmdk "$long"
descriptor c "$long" > c.ovf
tar --format=posix -cf "$ova/c.ova" c.ovf "$long"
descriptor d > d.ovf
tar --format=ustar -cf "$ova/d.ova" d.ovf
cp a.ovf d.ovf "$ovf/"
gzip -c disk1.vmdk > disk1.vmdk.gz
descriptor f disk1.vmdk.gz | sed 's|ovf:id="file1"/>|ovf:id="file1" ovf:compression="gzip"/>|' > f.ovf
tar --format=ustar -cf "$gz/f.ova" f.ovf disk1.vmdk.gz
cp disk1.vmdk.gz "$raw/g.gz"
printf 'second member\n' | gzip -c >> "$raw/g.gz"
cat > "$ovf/e.ovf" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/2" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/2"
    xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData">
  <References><File ovf:id="f1" ovf:href="e.iso" ovf:size="2048"/></References>
  <DeploymentOptionSection><Info>sizes</Info>
    <Configuration ovf:id="small"><Label>Small</Label><Description>s</Description></Configuration>
    <Configuration ovf:id="large" ovf:default="true"><Label>Large</Label><Description>l</Description></Configuration>
  </DeploymentOptionSection>
  <VirtualSystem ovf:id="e"><Info>vm</Info>
    <OperatingSystemSection ovf:id="101"><Info>os</Info><Description>Ubuntu Linux (64-bit)</Description></OperatingSystemSection>
    <VirtualHardwareSection><Info>hw</Info>
      <Item ovf:configuration="small"><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>1</rasd:VirtualQuantity></Item>
      <Item ovf:configuration="large"><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>8</rasd:VirtualQuantity></Item>
      <Item><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>4</rasd:VirtualQuantity><rasd:AllocationUnits>byte * 2^30</rasd:AllocationUnits></Item>
    </VirtualHardwareSection>
  </VirtualSystem>
</Envelope>
XML
