package org.disklens.gui.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import javafx.collections.ListChangeListener;
import org.disklens.content.Volume;
import org.disklens.crypto.Passphrase;
import org.disklens.crypto.WrongPassphrase;
import org.disklens.gui.task.SameThreadTaskRunner;
import org.disklens.image.ImageOpener;
import org.disklens.image.OpenPolicy;
import org.disklens.testing.Qemu;
import org.disklens.testing.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passphrases in a tab, answered by a script on the same thread: a qcow2 encrypted by qemu-img ({@code
 * encrypt.format=luks}) holding a GPT disk, and a LUKS1 volume made by qemu-img's {@code luks} driver holding an ext4,
 * placed as a GPT partition. Unlocked, the guest's partitions and files show; a wrong passphrase is asked again (at
 * most three tries); Skip leaves it locked and the overview says why; the passphrase is never in the recent files or
 * a text the window shows.
 */
class PassphraseViewModelTest {
    static final String PASSPHRASE = "s3cret pass phrase";
    static final String SECRET = "secret,id=s0,data=" + PASSPHRASE;
    static final Path SAMPLES = Path.of(System.getProperty("disklens.project.dir", "."), "resources", "samples");

    @TempDir
    static Path dir;

    private ImageViewModel image;
    private final List<PassphraseRequest> asked = new ArrayList<>();
    /** The script: a passphrase to type, or null for Skip. */
    private final Deque<Optional<String>> answers = new ArrayDeque<>();

    @BeforeAll
    static void makeImages() throws IOException {
        Qemu.require();
        Tools.require("sfdisk", "mke2fs");
        // A GPT disk with a FAT file system, encrypted as a whole by qemu-img.
        retryingCalibration("convert", "--object", SECRET, "-f", "raw", "-O", "qcow2", "-o",
                "encrypt.format=luks,encrypt.key-secret=s0,encrypt.iter-time=10",
                SAMPLES.resolve("gpt-disk.raw").toString(), "encrypted.qcow2");
        // A LUKS1 volume (qemu's luks driver) holding an ext4, as the second partition of a GPT disk.
        Files.createDirectories(dir.resolve("root/etc"));
        Files.writeString(dir.resolve("root/etc/hostname"), "locked-guest\n");
        Tools.run(dir, "mke2fs", "-q", "-t", "ext4", "-L", "root", "-d", "root", "root.ext4", "8M");
        retryingCalibration("create", "-q", "-f", "luks", "--object", SECRET, "-o", "key-secret=s0,iter-time=10",
                "volume.luks", "8M");
        Qemu.img(dir, "convert", "--object", SECRET, "-n", "-f", "raw", "root.ext4", "--target-image-opts",
                "driver=luks,file.filename=volume.luks,key-secret=s0");
        long volume = Files.size(dir.resolve("volume.luks"));
        long sectors = (volume + 511) / 512;
        Tools.run(dir, "truncate", "-s", Long.toString((1 << 20) + sectors * 512 + (1 << 20)), "luks-disk.raw");
        Files.writeString(dir.resolve("layout.sfdisk"), "label: gpt\nstart=2048, size=%d, type=L, name=crypt\n"
                .formatted(sectors));
        Tools.run(dir, "sh", "-c", "sfdisk -q luks-disk.raw < layout.sfdisk");
        Tools.run(dir, "dd", "if=volume.luks", "of=luks-disk.raw", "bs=1M", "seek=1", "conv=notrunc", "status=none");
        Qemu.img(dir, "convert", "-f", "raw", "-O", "qcow2", "luks-disk.raw", "luks-disk.qcow2");
    }

    /** qemu calibrates its key derivation on the CPU time it is given; a busy machine makes that fail now and then. */
    private static void retryingCalibration(String... args) {
        for (int attempt = 1; ; attempt++) {
            try {
                Qemu.img(dir, args);
                return;
            } catch (IllegalStateException flaky) {
                if (attempt == 5 || !String.valueOf(flaky.getMessage()).contains("Unable to get accurate CPU usage")) {
                    throw flaky;
                }
            }
        }
    }

    @AfterEach
    void close() {
        if (image != null) {
            image.close();
        }
    }

    /** The script answers each question as it is put. */
    private void answering(ImageViewModel tab) {
        tab.passphraseRequestProperty().addListener((observed, old, request) -> {
            if (request != null) {
                asked.add(request);
                Optional<String> answer = answers.isEmpty() ? Optional.empty() : answers.removeFirst();
                if (answer.isPresent()) {
                    request.unlock(answer.get().toCharArray());
                } else {
                    request.skip();
                }
            }
        });
    }

    private ImageViewModel open(String file) {
        image = new ImageViewModel(dir.resolve(file), new SameThreadTaskRunner(), new ImageOpener(OpenPolicy.DEFAULT));
        answering(image);
        image.load();
        return image;
    }

    private static List<String> ids(List<Volume> volumes) {
        return volumes.stream().map(Volume::id).toList();
    }

    @Test
    void anEncryptedQcow2OpensWithItsPassphraseAskedOnce() {
        answers.add(Optional.of(PASSPHRASE));
        open("encrypted.qcow2");

        assertThat(image.status()).isEqualTo(ImageViewModel.Status.READY);
        assertThat(asked).hasSize(1);
        assertThat(asked.getFirst().prompt()).isEqualTo("Passphrase for qcow2 image encrypted.qcow2");
        assertThat(asked.getFirst().attempt()).isEqualTo(1);
        assertThat(asked.getFirst().problem()).isEmpty();
        assertThat(image.openedProperty().get().contentsProblem()).isEmpty();
        assertThat(image.volumes()).isNotEmpty();
        assertThat(image.volumes().getFirst().partition().orElseThrow().scheme()).isEqualTo("gpt");
        assertThat(image.openedProperty().get().fileSystems()).isNotEmpty();
        assertThat(image.overview().warnings()).isEmpty();
        assertThat(image.passphraseRequestProperty().get()).isNull();

        // Reading it again in the same tab needs no passphrase: it is remembered while the tab is open.
        image.reload();
        assertThat(image.status()).isEqualTo(ImageViewModel.Status.READY);
        assertThat(asked).hasSize(1);
        assertThat(image.volumes()).isNotEmpty();
    }

    @Test
    void anImageOpenedAtLaunchWithoutAWindowToAskInIsOpenedAgainAsking() {
        EarlyOpen.start(List.of(dir.resolve("luks-disk.qcow2")));
        answers.add(Optional.of(PASSPHRASE));
        open("luks-disk.qcow2");

        assertThat(asked).hasSize(1);
        assertThat(ids(image.openedProperty().get().fileSystems())).anyMatch(id -> id.startsWith("luks-"));
        assertThat(image.overview().warnings()).isEmpty();
    }

    @Test
    void aWrongPassphraseIsSaidAndAskedAgain() {
        answers.add(Optional.of("not it"));
        answers.add(Optional.of(PASSPHRASE));
        open("luks-disk.qcow2");

        assertThat(asked).hasSize(2);
        assertThat(asked.getFirst().what()).startsWith("LUKS1 volume on ").contains("(UUID ");
        assertThat(asked.get(1).what()).isEqualTo(asked.getFirst().what());
        assertThat(asked.get(1).attempt()).isEqualTo(2);
        assertThat(asked.get(1).problem()).isEqualTo("Wrong passphrase: " + WrongPassphrase.MESSAGE + ". Try 2 of 3.");
        assertThat(ids(image.openedProperty().get().fileSystems())).anyMatch(id -> id.startsWith("luks-"));
        assertThat(image.overview().warnings()).isEmpty();
    }

    @Test
    void threeWrongPassphrasesLeaveItLockedAndSayWhy() {
        answers.add(Optional.of("one"));
        answers.add(Optional.of("two"));
        answers.add(Optional.of("three"));
        answers.add(Optional.of(PASSPHRASE));
        open("luks-disk.qcow2");

        assertThat(asked).hasSize(3);
        assertThat(image.status()).isEqualTo(ImageViewModel.Status.READY);
        assertThat(ids(image.openedProperty().get().fileSystems())).noneMatch(id -> id.startsWith("luks-"));
        assertThat(image.volumes()).hasSize(1);
        assertThat(image.overview().warnings()).anySatisfy(warning -> {
            assertThat(warning.title()).isEqualTo(ImageViewModel.LOCKED);
            assertThat(warning.text()).startsWith(asked.getFirst().what() + " is locked: " + WrongPassphrase.MESSAGE);
        });
        for (String typed : List.of("one", "two", "three", PASSPHRASE)) {
            assertThat(image.overview().warnings()).allSatisfy(warning -> assertThat(warning.text()).doesNotContain(typed));
        }

        // Reload asks again, and the right passphrase opens it.
        image.reload();
        assertThat(asked).hasSize(4);
        assertThat(asked.get(3).attempt()).isEqualTo(1);
        assertThat(ids(image.openedProperty().get().fileSystems())).anyMatch(id -> id.startsWith("luks-"));
        assertThat(image.overview().warnings()).isEmpty();
    }

    @Test
    void skipLeavesItLockedUntilReloadAsksAgain() {
        answers.add(Optional.empty());
        open("encrypted.qcow2");

        assertThat(asked).hasSize(1);
        assertThat(image.status()).isEqualTo(ImageViewModel.Status.READY);
        assertThat(image.volumes()).isEmpty();
        assertThat(image.openedProperty().get().contentsProblem()).hasValueSatisfying(problem ->
                assertThat(problem).doesNotContain("--passphrase-file"));
        assertThat(image.overview().warnings()).anySatisfy(warning -> {
            assertThat(warning.title()).isEqualTo(ImageViewModel.LOCKED);
            assertThat(warning.text()).isEqualTo("qcow2 image encrypted.qcow2 is " + TabPassphrases.SKIPPED + ".");
        });

        answers.add(Optional.of(PASSPHRASE));
        image.reload();
        assertThat(asked).hasSize(2);
        assertThat(image.volumes()).isNotEmpty();
        assertThat(image.overview().warnings()).noneMatch(warning -> warning.title().equals(ImageViewModel.LOCKED));
    }

    @Test
    void closingTheTabAnswersAnOpenQuestionAndForgetsThePassphrases() throws Exception {
        List<PassphraseRequest> requests = new ArrayList<>();
        TabPassphrases passphrases = new TabPassphrases(new SameThreadTaskRunner(), request -> {
            if (request != null) {
                requests.add(request);
            }
        });
        java.util.concurrent.atomic.AtomicReference<Optional<Passphrase>> answer = new java.util.concurrent.atomic.AtomicReference<>();
        Thread worker = Thread.ofPlatform().start(() -> answer.set(passphrases.passphraseFor("LUKS2 volume on test")));
        while (requests.isEmpty()) {
            Thread.sleep(10);
        }
        passphrases.close();
        worker.join(5_000);
        assertThat(worker.isAlive()).isFalse();
        assertThat(answer.get()).isEmpty();
        assertThat(passphrases.passphraseFor("LUKS2 volume on test")).isEmpty();
        assertThat(requests).hasSize(1);
    }

    @Test
    void theTypedCharactersAreZeroedAndNeverShown() throws Exception {
        PassphraseRequest request = new PassphraseRequest("qcow2 image x.qcow2", 1, "");
        char[] typed = PASSPHRASE.toCharArray();
        request.unlock(typed);
        assertThat(new String(typed)).isEqualTo("\0".repeat(PASSPHRASE.length()));
        try (Passphrase given = request.answer().get().orElseThrow()) {
            assertThat(given.bytes()).isEqualTo(PASSPHRASE.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(given.toString()).doesNotContain(PASSPHRASE);
        }
        assertThat(request.toString()).doesNotContain(PASSPHRASE);
    }

    @Test
    void thePassphraseIsNeverInTheRecentFilesOrTheStatus() {
        RecentFiles.Store store = RecentFiles.Store.inMemory();
        SameThreadTaskRunner runner = new SameThreadTaskRunner();
        MainViewModel main = new MainViewModel(runner, new RecentFiles(store), new ConversionQueueViewModel(
                ConversionService.unavailable(), runner, runner, System::nanoTime));
        main.images().addListener((ListChangeListener<ImageViewModel>) change -> {
            while (change.next()) {
                change.getAddedSubList().forEach(this::answering);
            }
        });
        answers.add(Optional.of("wrong " + PASSPHRASE));
        answers.add(Optional.of(PASSPHRASE));
        main.open(List.of(dir.resolve("encrypted.qcow2"), dir.resolve("luks-disk.qcow2")));
        answers.add(Optional.of(PASSPHRASE));
        main.reloadSelected();
        main.images().forEach(tab -> assertThat(tab.status()).isEqualTo(ImageViewModel.Status.READY));

        assertThat(store.load()).hasSize(2).allSatisfy(path -> assertThat(path).doesNotContain(PASSPHRASE));
        assertThat(main.recent().files()).allSatisfy(path -> assertThat(path.toString()).doesNotContain(PASSPHRASE));
        assertThat(main.statusProperty().get()).doesNotContain(PASSPHRASE);
        for (ImageViewModel tab : main.images()) {
            assertThat(tab.problemProperty().get()).doesNotContain(PASSPHRASE);
            assertThat(tab.overview().warnings()).allSatisfy(warning -> assertThat(warning.toString())
                    .doesNotContain(PASSPHRASE));
        }
        assertThat(asked).allSatisfy(request -> assertThat(request.toString() + request.prompt() + request.problem())
                .doesNotContain(PASSPHRASE));
        main.shutdown();
    }
}
