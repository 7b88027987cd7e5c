package org.disklens;

import static org.assertj.core.api.Assertions.assertThat;

import org.disklens.cli.DiskLensCommand;
import org.disklens.testing.Cli;
import org.junit.jupiter.api.Test;

/** Help and version, every way of asking for them; a mistake is one line and exit 1. */
class CommandLineHelpTest {
    @Test
    void helpListsEveryVerb() {
        Cli.Result help = Cli.run("help");
        assertThat(help.exitCode()).as(help.err()).isZero();
        for (String verb : DiskLensCommand.COMMANDS) {
            if (!verb.startsWith("-")) {
                assertThat(help.out()).as(verb).containsPattern("(?m)^  " + verb + " ");
            }
        }
        assertThat(Cli.run("--help").out()).isEqualTo(help.out());
    }

    @Test
    void helpOfOneVerbShowsItsOptions() {
        Cli.Result help = Cli.run("help", "convert");
        assertThat(help.exitCode()).as(help.err()).isZero();
        assertThat(help.out()).startsWith("Usage: disklens convert").contains("--update-domain");
        assertThat(Cli.run("convert", "--help").out()).isEqualTo(help.out());
    }

    @Test
    void anUnknownVerbIsOneLineAndExitOne() {
        Cli.Result unknown = Cli.run("help", "frobnicate");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err().strip()).doesNotContain("\n").contains("frobnicate");
    }

    @Test
    void versionIsPrinted() {
        Cli.Result version = Cli.run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("DiskLens ");
    }
}
