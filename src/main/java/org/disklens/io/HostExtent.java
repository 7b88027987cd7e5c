package org.disklens.io;

/** A run of a source's bytes that is either stored ({@code data}) or a hole that reads as zeroes. */
public record HostExtent(long hostOffset, long length, boolean data) {
    public long end() {
        return hostOffset + length;
    }
}
