package org.disklens.image.vdi;

import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.disklens.image.OpenContext;
import org.disklens.io.BlockSource;

/**
 * Finds a differencing VDI's parent among the files beside it: the first {@code .vdi} whose image UUID is the
 * child's link UUID, VirtualBox's snapshot name {@code {UUID}.vdi} tried first. Each candidate is opened through the
 * {@link OpenContext} (so the open policy decides) only to read its first sector, and closed; unreadable or foreign
 * files are passed over. The chain itself is opened by {@code ImageOpener} from the name found.
 *
 * <p>{@code OpenContext} cannot list a folder yet, so {@link VdiImage#backing()} names {@code {UUID}.vdi} only;
 * this search is ready for the day it can (see the package documentation).
 */
final class VdiParentSearch {
    /** Candidates looked at, at most: a folder of thousands of disks is searched no further. */
    static final int MAX_CANDIDATES = 1000;

    private VdiParentSearch() {
    }

    static Optional<String> find(UUID link, List<String> siblings, OpenContext context) {
        for (String candidate : candidates(link, siblings)) {
            if (imageUuid(candidate, context).filter(link::equals).isPresent()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** {@code {UUID}.vdi} first (if present), then the other {@code .vdi} names in the order given. */
    static List<String> candidates(UUID link, List<String> siblings) {
        String conventional = VdiImage.parentFileName(link);
        List<String> names = new ArrayList<>();
        if (siblings.stream().anyMatch(conventional::equalsIgnoreCase)) {
            names.add(siblings.stream().filter(conventional::equalsIgnoreCase).findFirst().orElseThrow());
        }
        for (String name : siblings) {
            if (names.size() >= MAX_CANDIDATES) {
                break;
            }
            if (name.toLowerCase(Locale.ROOT).endsWith(".vdi") && !names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static Optional<UUID> imageUuid(String name, OpenContext context) {
        try (BlockSource file = context.openReference(name, "parent candidate")) {
            int length = (int) Math.min(VdiHeader.READ_SIZE, file.size());
            return Optional.of(VdiHeader.parse(file.read(0, length, ByteOrder.LITTLE_ENDIAN)).image());
        } catch (IOException unreadable) {
            return Optional.empty();
        }
    }
}
