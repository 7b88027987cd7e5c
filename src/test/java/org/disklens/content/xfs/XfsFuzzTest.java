package org.disklens.content.xfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.disklens.content.FileEntry;
import org.disklens.content.FileSystem;
import org.disklens.image.ProgressListener;
import org.disklens.io.MemoryBlockSource;
import org.disklens.testing.FuzzTarget;
import org.disklens.testing.ParserFuzzTest;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes XFS v4 and v5 (short-form, block and leaf directories, extent lists, local and remote symlinks), walked whole
 * with small files copied. Seeds: make-fuzz-seeds.sh in this package's test resources.
 */
class XfsFuzzTest {
    @ParserFuzzTest
    void fileSystem(byte[] bytes) {
        FuzzTarget.exercise(new XfsType(), bytes);
    }

    /** The seeds are volumes cut after their last non-zero byte: read whole, the short volume a warning. */
    @Test
    void theSeedsOpenAndListTheirTrees() throws IOException {
        assertThat(paths("xfs-v5-1k")).hasSize(30).contains("/small", "/three-k", "/link", "/dev", "/d/f3",
                "/block/entry-20");
        assertThat(paths("xfs-v4-512-leaf-directory")).hasSize(151).contains("/many/a-longer-entry-name-150");
    }

    private static List<String> paths(String seed) throws IOException {
        byte[] bytes;
        try (InputStream in = XfsFuzzTest.class.getResourceAsStream("XfsFuzzTestInputs/fileSystem/" + seed)) {
            bytes = in.readAllBytes();
        }
        FileSystem fs = new XfsType().open(new MemoryBlockSource(seed, bytes));
        List<String> paths = new ArrayList<>();
        fs.walk(fs.root(), entry -> {
            paths.add(entry.path());
            if (entry.type() == FileEntry.Type.FILE) {
                assertThat(XfsAgreementTest.bytes(fs, entry)).hasSize((int) entry.size());
            }
        }, ProgressListener.NONE);
        assertThat(fs.warnings()).anyMatch(warning -> warning.contains("less than the file system's"));
        return paths;
    }
}
