package org.disklens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.disklens.convert.TargetSpec;
import org.disklens.image.ImageFormats;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated completion, run by bash as bash runs it: COMP_WORDS and COMP_CWORD set, the function called. */
class CompletionTest {
    @TempDir
    Path dir;

    private Path script;

    @BeforeEach
    void writeScript() throws IOException {
        script = dir.resolve("disklens");
        Completion.main(new String[] {script.toString()});
        Files.createDirectories(dir.resolve("work"));
        Files.writeString(dir.resolve("work/conf.qcow2"), "");
        Files.writeString(dir.resolve("work/disk.vmdk"), "");
    }

    @Test
    void aVerbCompletesFromItsStart() throws Exception {
        assertThat(complete("disklens", "con")).containsExactlyInAnyOrder("convert", "conf.qcow2");
        assertThat(complete("disklens", "sn")).containsExactly("snapshot");
        assertThat(complete("disklens", "help", "me")).containsExactly("measure");
    }

    @Test
    void theOutputFormatCompletesFromTheWritableFormats() throws Exception {
        assertThat(complete("disklens", "convert", "-O", "")).containsExactlyElementsOf(TargetSpec.writableFormats());
        assertThat(complete("disklens", "convert", "-p", "-O", "q")).containsExactly("qcow2");
        assertThat(complete("disklens", "measure", "-O", "")).containsExactlyElementsOf(TargetSpec.writableFormats());
    }

    @Test
    void theInputFormatCompletesFromEveryFormat() throws Exception {
        assertThat(complete("disklens", "info", "-f", "")).containsExactlyElementsOf(ImageFormats.names());
        assertThat(complete("disklens", "compare", "-F", "vm")).containsExactly("vmdk");
    }

    @Test
    void optionsCompletePerVerbAndFilesOtherwise() throws Exception {
        assertThat(complete("disklens", "info", "--j")).containsExactly("--json");
        assertThat(complete("disklens", "convert", "--j")).isEmpty();
        assertThat(complete("disklens", "info", "--json", "d")).containsExactly("disk.vmdk");
        assertThat(complete("disklens", "--vers")).containsExactly("--version");
    }

    /** COMPREPLY after completing the last of {@code words} (the word being typed), in folder work/. */
    private List<String> complete(String... words) throws IOException, InterruptedException {
        StringBuilder array = new StringBuilder();
        for (String word : words) {
            array.append(" '").append(word).append('\'');
        }
        String program = "source '%s'; COMP_WORDS=(%s); COMP_CWORD=%d; _disklens; printf '%%s\\n' \"${COMPREPLY[@]}\""
                .formatted(script, array, words.length - 1);
        Process bash = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", program)
                .directory(dir.resolve("work").toFile()).redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor()).as(output).isZero();
        return output.lines().filter(line -> !line.isEmpty()).toList();
    }
}
