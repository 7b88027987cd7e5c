package org.disklens.content.lvm;

import java.util.List;
import org.disklens.content.Placement;
import org.disklens.content.Volume;

/**
 * Where each byte of a readable LV lies: its segments as runs in LV order, each over one area (linear) or several
 * (striped: chunks of {@code stripeBytes} dealt round-robin over the areas, as dm-stripe does). Every run was checked
 * to lie inside its member volumes before the map was made.
 */
final class ExtentMap {
    /** A stripe's bytes on a member volume, from {@code memberOffset}. */
    record Area(Volume member, long memberOffset) {
    }

    /** LV bytes {@code [lvStart, lvStart + length)} over {@code areas}, striped by {@code stripeBytes} when several. */
    record Run(long lvStart, long length, long stripeBytes, List<Area> areas) {
        long end() {
            return lvStart + length;
        }
    }

    /** {@code length} bytes of the LV at {@code memberOffset} of {@code member}. */
    record Piece(Volume member, long memberOffset, long length) {
    }

    private final Run[] runs;
    private final long size;

    ExtentMap(List<Run> runs) {
        this.runs = runs.toArray(Run[]::new);
        this.size = runs.isEmpty() ? 0 : runs.getLast().end();
    }

    long size() {
        return size;
    }

    int runs() {
        return runs.length;
    }

    /** The member bytes that hold LV byte {@code lvOffset} and at most {@code maxLength - 1} bytes after it. */
    Piece locate(long lvOffset, long maxLength) {
        if (lvOffset < 0 || lvOffset >= size) {
            throw new IllegalArgumentException("offset %d is outside the LV (%d bytes)".formatted(lvOffset, size));
        }
        Run run = runs[find(lvOffset)];
        long inRun = lvOffset - run.lvStart();
        long limit = Math.min(maxLength, run.end() - lvOffset);
        if (run.areas().size() == 1) {
            Area area = run.areas().getFirst();
            return new Piece(area.member(), area.memberOffset() + inRun, limit);
        }
        long chunk = inRun / run.stripeBytes();
        long within = inRun % run.stripeBytes();
        int stripes = run.areas().size();
        Area area = run.areas().get((int) (chunk % stripes));
        long row = chunk / stripes;
        return new Piece(area.member(), area.memberOffset() + row * run.stripeBytes() + within,
                Math.min(limit, run.stripeBytes() - within));
    }

    /** Where LV bytes lie on the guest disk: the member's own placement of the piece that holds them. */
    Placement placement() {
        return (volumeOffset, maxLength) -> {
            Piece piece = locate(volumeOffset, maxLength);
            Placement.GuestRun run = piece.member().placement().at(piece.memberOffset(), piece.length());
            return new Placement.GuestRun(run.guestOffset(), Math.min(run.length(), piece.length()));
        };
    }

    private int find(long lvOffset) {
        int low = 0;
        int high = runs.length - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (runs[middle].lvStart() <= lvOffset) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }
}
