package org.disklens.gui.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recent files as the window keeps them between runs: a text file in the user's configuration folder. */
class RecentFilesStoreTest {
    @TempDir
    Path dir;

    @Test
    void whatIsSavedIsWrittenOnePathPerLineAndReadBackByTheNextRun() throws IOException {
        Path file = dir.resolve("config/disklens/recent-files");
        RecentFiles.Store store = RecentFiles.Store.file(file);
        store.save(List.of("/images/a b.qcow2", "/images/c.vmdk"));
        store.save(List.of("/images/c.vmdk", "/images/a b.qcow2", "/isos/d.iso"));
        store.finishWriting();

        assertThat(Files.readAllLines(file)).containsExactly("/images/c.vmdk", "/images/a b.qcow2", "/isos/d.iso");
        assertThat(new RecentFiles(RecentFiles.Store.file(file)).files())
                .containsExactly(Path.of("/images/c.vmdk"), Path.of("/images/a b.qcow2"), Path.of("/isos/d.iso"));
        assertThat(file.resolveSibling("recent-files.partial")).doesNotExist();
    }

    @Test
    void noFileYetOrAnUnreadableOneStartsAnEmptyList() throws IOException {
        assertThat(RecentFiles.Store.file(dir.resolve("none/recent-files")).load()).isEmpty();
        Path notText = Files.write(dir.resolve("recent-files"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0xc3});
        assertThat(RecentFiles.Store.file(notText).load()).isEmpty();
    }

    @Test
    void aHandEditedFileGivesAtMostTheListsLengthWithoutBlankLines() throws IOException {
        StringBuilder text = new StringBuilder("\n");
        for (int index = 0; index < RecentFiles.MAX + 5; index++) {
            text.append("/images/").append(index).append(".raw\n\n");
        }
        Path file = Files.writeString(dir.resolve("recent-files"), text);

        List<String> loaded = RecentFiles.Store.file(file).load();
        assertThat(loaded).hasSize(RecentFiles.MAX).first().isEqualTo("/images/0.raw");
    }
}
