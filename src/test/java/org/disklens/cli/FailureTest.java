package org.disklens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;

/** Every error line says what failed and why, even where the JDK's exception carries only a path. */
class FailureTest {
    @Test
    void aFileOperationSaysWhichFileAndWhy() {
        assertThat(Failure.describe("x.iso", new FileAlreadyExistsException("/out/.copy.disklens-tmp-1-3/dd")))
                .isEqualTo("disklens: x.iso: /out/.copy.disklens-tmp-1-3/dd: already exists");
        assertThat(Failure.describe("x.iso", new NotDirectoryException("/out/file")))
                .isEqualTo("disklens: x.iso: /out/file: not a directory");
        assertThat(Failure.describe("x.iso", new DirectoryNotEmptyException("/out/d")))
                .isEqualTo("disklens: x.iso: /out/d: directory not empty");
        assertThat(Failure.describe("x.iso", new FileSystemException("/out/a", "/out/b", null)))
                .isEqualTo("disklens: x.iso: /out/a -> /out/b: failed (FileSystemException)");
    }

    @Test
    void theFileTheLineIsAboutIsNotRepeated() {
        assertThat(Failure.describe("vm.qcow2", new NoSuchFileException("vm.qcow2"))).isEqualTo("disklens: vm.qcow2: no such file");
        assertThat(Failure.describe("/images/vm.qcow2", new AccessDeniedException("/images/vm.qcow2")))
                .isEqualTo("disklens: /images/vm.qcow2: permission denied");
        assertThat(Failure.describe("out.raw", new FileAlreadyExistsException("out.raw", null, "already exists (use --force)")))
                .isEqualTo("disklens: out.raw: already exists (use --force)");
    }
}
