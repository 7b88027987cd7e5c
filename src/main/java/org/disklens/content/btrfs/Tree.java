package org.disklens.content.btrfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.disklens.image.CorruptImage;

/**
 * One B-tree (the root tree, the chunk tree, a subvolume's tree...), searched from its root block. A descent checks
 * that every child is one level below its parent and that its first key is the key its parent points with (so a block
 * cannot be met twice in one descent); a scan also checks that the blocks of each level and the items come in strictly
 * increasing key order, which bounds a scan by the number of distinct blocks whatever the pointers say.
 */
record Tree(BtrfsVolume volume, long id, long rootBytenr, int rootLevel, String name) {

    /** One item: its key, its data (little-endian, position 0), and where its data lies in the volume. */
    record Item(Key key, ByteBuffer data, long volumeOffset) {
    }

    @FunctionalInterface
    interface Visitor {
        /** Takes one item; false stops the scan. */
        boolean visit(Item item) throws IOException;
    }

    /** The item with exactly {@code key}. */
    Optional<Item> find(Key key) throws IOException {
        Optional<Item> floor = floor(key);
        return floor.filter(item -> item.key().equals(key));
    }

    /** The item with the largest key at or below {@code key}. */
    Optional<Item> floor(Key key) throws IOException {
        BtrfsVolume.Block block = root();
        while (!block.tree().leaf()) {
            int index = block.tree().floor(key);
            if (index < 0) {
                return Optional.empty();
            }
            block = child(block, index);
        }
        int index = block.tree().floor(key);
        return index < 0 ? Optional.empty() : Optional.of(item(block, index));
    }

    /** The first item from {@code min} to {@code max}. */
    Optional<Item> first(Key min, Key max) throws IOException {
        Item[] found = new Item[1];
        scan(min, max, item -> {
            found[0] = item;
            return false;
        });
        return Optional.ofNullable(found[0]);
    }

    /** Visits the items from {@code min} to {@code max} (inclusive) in key order, until the visitor says stop. */
    void scan(Key min, Key max, Visitor visitor) throws IOException {
        new Scan(min, max, visitor).visit(root());
    }

    private BtrfsVolume.Block root() throws IOException {
        return volume.block(rootBytenr, rootLevel, -1, name);
    }

    private BtrfsVolume.Block child(BtrfsVolume.Block parent, int index) throws IOException {
        TreeBlock node = parent.tree();
        BtrfsVolume.Block child = volume.block(node.children()[index], node.level() - 1, node.childGenerations()[index], name);
        TreeBlock tree = child.tree();
        if (tree.count() == 0 || !tree.key(0).equals(node.key(index))) {
            throw new CorruptImage(BtrfsVolume.NAMING, "%s block at logical 0x%x".formatted(name, tree.bytenr()),
                    child.volumeOffset(), "its first key %s is not %s, the key its parent at logical 0x%x points with"
                            .formatted(tree.count() == 0 ? "(none)" : tree.key(0), node.key(index), node.bytenr()));
        }
        return child;
    }

    private static Item item(BtrfsVolume.Block block, int index) {
        return new Item(block.tree().key(index), block.tree().data(index),
                block.volumeOffset() + block.tree().dataStart(index));
    }

    /** One range scan, with the order checks that bound it. */
    private final class Scan {
        private final Key min;
        private final Key max;
        private final Visitor visitor;
        private final Key[] lastPointer = new Key[TreeBlock.MAX_LEVEL + 1];
        private Key lastItem;

        Scan(Key min, Key max, Visitor visitor) {
            this.min = min;
            this.max = max;
            this.visitor = visitor;
        }

        /** False once the visitor has said stop. */
        boolean visit(BtrfsVolume.Block block) throws IOException {
            TreeBlock tree = block.tree();
            int index = Math.max(0, tree.floor(min));
            if (tree.leaf()) {
                for (; index < tree.count() && tree.key(index).compareTo(max) <= 0; index++) {
                    Key key = tree.key(index);
                    if (key.compareTo(min) < 0) {
                        continue;
                    }
                    if (lastItem != null && key.compareTo(lastItem) <= 0) {
                        throw outOfOrder(block, "item " + key, lastItem);
                    }
                    lastItem = key;
                    if (!visitor.visit(item(block, index))) {
                        return false;
                    }
                }
                return true;
            }
            for (; index < tree.count() && tree.key(index).compareTo(max) <= 0; index++) {
                Key pointer = tree.key(index);
                Key previous = lastPointer[tree.level()];
                if (previous != null && pointer.compareTo(previous) <= 0) {
                    throw outOfOrder(block, "pointer " + pointer, previous);
                }
                lastPointer[tree.level()] = pointer;
                if (!visit(child(block, index))) {
                    return false;
                }
            }
            return true;
        }

        private CorruptImage outOfOrder(BtrfsVolume.Block block, String what, Key previous) {
            return new CorruptImage(BtrfsVolume.NAMING, "%s block at logical 0x%x".formatted(name, block.tree().bytenr()),
                    block.volumeOffset(), "%s comes after %s (the tree loops or is damaged)".formatted(what, previous));
        }
    }
}
