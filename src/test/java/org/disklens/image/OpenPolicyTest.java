package org.disklens.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OpenPolicyTest {
    @TempDir
    Path root;
    Path folder;

    @BeforeEach
    void makeFiles() throws IOException {
        folder = Files.createDirectories(root.resolve("images"));
        Files.createDirectories(folder.resolve("sub"));
        Files.write(folder.resolve("base.img"), new byte[512]);
        Files.write(folder.resolve("sub/deep.img"), new byte[512]);
        Files.write(root.resolve("outside.img"), new byte[512]);
        Files.createSymbolicLink(folder.resolve("link-out.img"), root.resolve("outside.img"));
        Files.createSymbolicLink(folder.resolve("link-in.img"), folder.resolve("base.img"));
    }

    @Test
    void followsFilesInTheFolderAndBelow() throws IOException {
        assertThat(OpenPolicy.DEFAULT.resolve(folder, "base.img", "backing file")).isEqualTo(folder.resolve("base.img").toRealPath());
        assertThat(OpenPolicy.DEFAULT.resolve(folder, "sub/deep.img", "extent")).endsWith(Path.of("sub/deep.img"));
        assertThat(OpenPolicy.DEFAULT.resolve(folder, folder.resolve("base.img").toString(), "backing file")).exists();
        assertThat(OpenPolicy.DEFAULT.resolve(folder, "link-in.img", "backing file")).endsWith(Path.of("base.img"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../outside.img", "link-out.img", "/etc/passwd", "sub/../../outside.img"})
    void refusesEscapesUnlessAllowed(String reference) throws IOException {
        assertThatThrownBy(() -> OpenPolicy.DEFAULT.resolve(folder, reference, "backing file"))
                .isInstanceOf(RefusedReference.class).hasMessageContaining("outside the image's folder");
        assertThat(new OpenPolicy(true).resolve(folder, reference, "backing file")).exists();
    }

    @ParameterizedTest
    @ValueSource(strings = {"json:{\"file.filename\":\"/etc/passwd\"}", "nbd://localhost/x", "http://host/img",
            "file:base.img", "ssh://h/x"})
    void neverFollowsProtocols(String reference) {
        assertThatThrownBy(() -> new OpenPolicy(true).resolve(folder, reference, "backing file"))
                .isInstanceOf(RefusedReference.class).hasMessageContaining("pseudo-path");
    }

    @Test
    void refusesMissingFilesDevicesAndEmptyNames() {
        assertThatThrownBy(() -> OpenPolicy.DEFAULT.resolve(folder, "missing.img", "extent"))
                .isInstanceOf(RefusedReference.class).hasMessageContaining("not found");
        assertThatThrownBy(() -> new OpenPolicy(true).resolve(folder, "/dev/null", "extent"))
                .isInstanceOf(RefusedReference.class).hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> OpenPolicy.DEFAULT.resolve(folder, "", "extent")).isInstanceOf(RefusedReference.class);
        assertThatThrownBy(() -> OpenPolicy.DEFAULT.resolve(folder, "a\0b", "extent")).isInstanceOf(RefusedReference.class);
    }

    @Test
    void refusesADirectory() {
        assertThatThrownBy(() -> OpenPolicy.DEFAULT.resolve(folder, "sub", "backing file"))
                .isInstanceOf(RefusedReference.class).hasMessageContaining("not a regular file");
    }
}
