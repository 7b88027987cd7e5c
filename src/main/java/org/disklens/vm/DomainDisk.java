package org.disklens.vm;

import java.util.List;
import java.util.Optional;

/**
 * One {@code <disk>} of a domain: {@code type} (file, block…), {@code device} (disk, cdrom), the driver type
 * it declares ({@code <driver name='qemu' type='qcow2'/>}), the source file, the target ({@code vda},
 * {@code virtio}) and the backing chain it declares ({@code <backingStore>}), top first.
 */
public record DomainDisk(String type, String device, Optional<String> driverType, Optional<String> source,
                         String targetDev, String targetBus, List<BackingStore> backingStores) {

    /** A declared backing layer: its format and file. */
    public record BackingStore(Optional<String> format, Optional<String> source) {
    }

    /** "vda, virtio": how the VM sees the disk. */
    public String where() {
        return targetBus.isEmpty() ? targetDev : targetDev + ", " + targetBus;
    }
}
