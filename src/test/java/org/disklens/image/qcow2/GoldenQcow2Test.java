package org.disklens.image.qcow2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.disklens.testing.Cli;
import org.disklens.testing.JsonSubset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checked-in golden images (src/test/resources/org/disklens/image/qcow2/golden, made by make-golden.sh with qemu-img) and
 * qemu-img's answers recorded beside them: runs everywhere, qemu-img or not.
 * {@code filename}, {@code full-backing-filename} and {@code actual-size} are left out: they depend on the
 * path the test runs from and on how the checkout stored the files. The images are copied byte by byte
 * into a temporary folder first: a checkout may store runs of zeroes as holes, and qemu-img's map (which
 * DiskLens follows) reports data over holes differently when the file looks preallocated.
 */
class GoldenQcow2Test {
    @TempDir
    static Path copies;

    @BeforeAll
    static void copyDensely() throws IOException {
        try (Stream<Path> files = Files.list(GOLDEN)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".qcow2")).toList()) {
                Files.write(copies.resolve(file.getFileName()), Files.readAllBytes(file));
            }
        }
    }

    static final Path GOLDEN = Path.of(System.getProperty("disklens.project.dir", "."), "src/test/resources/org/disklens/image/qcow2/golden");

    static Stream<String> images() throws IOException {
        try (Stream<Path> files = Files.list(GOLDEN)) {
            return files.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".qcow2"))
                    .map(name -> name.substring(0, name.length() - ".qcow2".length())).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void infoAgrees(String name) throws IOException {
        ObjectNode expected = (ObjectNode) answer(name, "info");
        expected.remove(java.util.List.of("filename", "full-backing-filename", "actual-size"));
        Cli.Result ours = Cli.run("info", "--json", image(name));
        assertThat(ours.exitCode()).as(ours.err()).isZero();
        JsonSubset.assertContains(expected, ours.json());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void mapAgrees(String name) throws IOException {
        Cli.Result ours = Cli.run("map", "--json", image(name));
        assertThat(ours.exitCode()).as(ours.err()).isZero();
        JsonSubset.assertContains(answer(name, "map"), ours.json());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void checkAgrees(String name) throws IOException {
        ObjectNode expected = (ObjectNode) answer(name, "check");
        expected.remove("filename");
        int expectedExit = Integer.parseInt(Files.readString(GOLDEN.resolve(name + ".check.rc")).strip());
        Cli.Result ours = Cli.run("check", "--json", image(name));
        assertThat(ours.exitCode()).as(ours.err()).isEqualTo(expectedExit);
        JsonSubset.assertContains(expected, ours.json());
    }

    private static String image(String name) {
        return copies.resolve(name + ".qcow2").toString();
    }

    private static JsonNode answer(String name, String command) throws IOException {
        return Cli.parse(Files.readString(GOLDEN.resolve(name + "." + command + ".json")));
    }
}
