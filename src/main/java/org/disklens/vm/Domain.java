package org.disklens.vm;

import java.nio.file.Path;
import java.util.List;

/** A libvirt domain (a VM) as its XML defines it: name, UUID, the file it was read from, its disks. */
public record Domain(String name, String uuid, Path file, List<DomainDisk> disks) {
}
