package org.disklens.content.lvm;

/**
 * A {@code disk_locn} of the PV header: {@code offset} bytes from the PV's start, {@code size} bytes long (a data
 * area of size 0 runs to the end of the device).
 */
record DiskArea(long offset, long size) {
}
