package org.disklens.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** disklens(1) says what {@code disklens help} and each verb's {@code --help} say, and is valid roff. */
class ManualTest {
    @TempDir
    Path dir;

    @Test
    void theManualListsTheVerbsHelpLists() {
        assertThat(manualVerbs(Manual.page())).containsExactlyElementsOf(helpVerbs());
    }

    @Test
    void everyVerbsOptionsAreInItsSection() {
        String page = Manual.page();
        for (String verb : helpVerbs()) {
            if (verb.equals("help")) {
                continue;
            }
            String help = run(verb, "--help");
            String section = page.substring(page.indexOf(".SS \"disklens " + verb + " "));
            section = section.substring(0, section.indexOf("\n.S", 1));
            Matcher option = Pattern.compile("(?m)^  (-[^ ,]+)").matcher(help);
            int found = 0;
            while (option.find()) {
                assertThat(section).as(verb + " " + option.group(1)).contains("\\fB" + option.group(1).replace("-", "\\-") + "\\fR");
                found++;
            }
            assertThat(found).as(verb).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void optionsWithValuesAndWrappedDescriptionsAreReadBack() {
        Manual.Help convert = Manual.helps().stream().filter(help -> help.verb().equals("convert")).findFirst().orElseThrow();
        Manual.Option output = convert.options().stream().filter(o -> o.names().contains("-O")).findFirst().orElseThrow();
        assertThat(output.label()).isEqualTo("FMT");
        assertThat(output.description()).startsWith("Output format: raw (default)").endsWith(".");
        assertThat(convert.usage()).startsWith("disklens convert [OPTIONS]");
    }

    @Test
    void groffFormatsThePageWithoutWarnings() throws IOException, InterruptedException {
        Path page = dir.resolve("disklens.1");
        Manual.main(new String[] {page.toString()});
        Process groff = new ProcessBuilder("groff", "-man", "-Tutf8", "-ww", "-z", page.toString())
                .redirectErrorStream(true).start();
        String output = new String(groff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(groff.waitFor()).isZero();
        assertThat(output).isEmpty();
        Process man = new ProcessBuilder("groff", "-man", "-Tutf8", page.toString())
                .redirectError(new File("/dev/null")).start();
        String rendered = new String(man.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        man.waitFor();
        assertThat(rendered.replaceAll(".\b", "")).contains("EXIT STATUS", "SEE ALSO", "qemu-img(1)",
                "disklens convert [OPTIONS]");
    }

    /** The verbs of {@code disklens help}'s "Commands:" table. */
    private static List<String> helpVerbs() {
        String help = run("help");
        List<String> verbs = new ArrayList<>();
        boolean inCommands = false;
        for (String line : help.lines().toList()) {
            if (line.equals("Commands:")) {
                inCommands = true;
            } else if (inCommands && line.isEmpty()) {
                break;
            } else if (inCommands && line.matches("  [a-z]+ .*")) {
                verbs.add(line.strip().split(" ")[0]);
            }
        }
        assertThat(verbs).contains("info", "convert", "vms", "help");
        return verbs;
    }

    /** The verbs of the page's COMMANDS section, {@code .SS "disklens VERB ..."}. */
    private static List<String> manualVerbs(String page) {
        List<String> verbs = new ArrayList<>();
        Matcher section = Pattern.compile("(?m)^\\.SS \"disklens ([a-z]+)").matcher(page);
        while (section.find()) {
            verbs.add(section.group(1));
        }
        return verbs;
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(DiskLensCommand.execute(args, out, new ByteArrayOutputStream())).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
