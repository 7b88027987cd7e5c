package org.disklens.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command-line parser: getopt's spellings, as qemu-img users type them, and its one-line refusals. */
class SyntaxTest {
    private String format;
    private final List<String> options = new ArrayList<>();
    private boolean compress;
    private boolean progress;
    private boolean force;
    private String source;
    private String target;

    private Syntax syntax() {
        return new Syntax("disklens test", "A test command.")
                .option("-O", "FMT", "Output format.", value -> format = value)
                .option("-o", "KEY=VAL", "Options; may be repeated.", options::add)
                .flag("-c", "Compress.", () -> compress = true)
                .flag("-p", "Progress.", () -> progress = true)
                .flag("--force", "Overwrite.", () -> force = true)
                .parameter("SRC", value -> source = value)
                .optionalParameter("DST", value -> target = value);
    }

    private Syntax.Request parse(String... args) throws Syntax.UsageError {
        return syntax().parse(List.of(args));
    }

    @Test
    void optionsTakeTheirValueFromTheNextWordOrAttached() throws Exception {
        assertThat(parse("-O", "qcow2", "a")).isEqualTo(Syntax.Request.RUN);
        assertThat(format).isEqualTo("qcow2");
        parse("-Ovmdk", "a");
        assertThat(format).isEqualTo("vmdk");
    }

    @Test
    void flagsClusterAndAValueOptionEndsTheCluster() throws Exception {
        parse("-pcOraw", "in", "out");
        assertThat(progress).isTrue();
        assertThat(compress).isTrue();
        assertThat(format).isEqualTo("raw");
        assertThat(List.of(source, target)).containsExactly("in", "out");
    }

    @Test
    void repeatedOptionsReachTheSetterEachTime() throws Exception {
        parse("-o", "compat=1.1", "-o", "cluster_size=4k", "a");
        assertThat(options).containsExactly("compat=1.1", "cluster_size=4k");
    }

    @Test
    void longOptionsAndParametersMayComeInAnyOrder() throws Exception {
        parse("in", "--force", "out");
        assertThat(force).isTrue();
        assertThat(List.of(source, target)).containsExactly("in", "out");
    }

    @Test
    void doubleDashEndsTheOptions() throws Exception {
        parse("--", "-weird-name", "-O");
        assertThat(List.of(source, target)).containsExactly("-weird-name", "-O");
        assertThat(format).isNull();
    }

    @Test
    void helpAndVersionWinOverMissingParameters() throws Exception {
        assertThat(parse("--help")).isEqualTo(Syntax.Request.HELP);
        assertThat(parse("-h")).isEqualTo(Syntax.Request.HELP);
        assertThat(parse("-V")).isEqualTo(Syntax.Request.VERSION);
    }

    @Test
    void mistakesAreSaidInOneLine() {
        assertThatThrownBy(() -> parse("-x", "a")).hasMessage("unknown option '-x'");
        assertThatThrownBy(() -> parse("-pz", "a")).hasMessage("unknown option '-z'");
        assertThatThrownBy(() -> parse("--frob", "a")).hasMessage("unknown option '--frob'");
        assertThatThrownBy(() -> parse("--force=yes", "a")).hasMessage("option '--force' takes no value");
        assertThatThrownBy(() -> parse("a", "-O")).hasMessage("option '-O' needs a value (FMT)");
        assertThatThrownBy(() -> parse()).hasMessage("missing SRC");
        assertThatThrownBy(() -> parse("a", "b", "c")).hasMessage("unexpected argument 'c'");
    }

    @Test
    void aRefusedOptionSaysWhyAndTakesItsValue() {
        Syntax repair = syntax().refused("-r", "MODE", "it would write");
        assertThatThrownBy(() -> repair.parse(List.of("-r", "all", "a"))).hasMessage("-r: it would write");
        StringWriter help = new StringWriter();
        repair.printUsage(new PrintWriter(help));
        assertThat(help.toString()).containsPattern("(?m)^  -r MODE +Not supported: it would write\\.$");
    }

    @Test
    void aValueTheSetterRejectsIsAUsageError() {
        Syntax numbers = new Syntax("disklens test", "Numbers.").option("-m", "N", "Workers.", value -> Syntax.integer("-m", value));
        assertThatThrownBy(() -> numbers.parse(List.of("-m", "two"))).isInstanceOf(Syntax.UsageError.class)
                .hasMessage("invalid value for -m: 'two' is not a whole number");
        Syntax paths = new Syntax("disklens test", "Paths.").option("--dir", "DIR", "A folder.", java.nio.file.Path::of);
        assertThatThrownBy(() -> paths.parse(List.of("--dir", "a\0b"))).isInstanceOf(Syntax.UsageError.class)
                .hasMessageStartingWith("invalid value for --dir");
    }

    @Test
    void usageListsEveryOptionWithItsValueAndTheParameters() {
        StringWriter text = new StringWriter();
        syntax().printUsage(new PrintWriter(text));
        assertThat(text.toString()).startsWith("Usage: disklens test [OPTIONS] SRC [DST]\nA test command.\n")
                .containsPattern("(?m)^  -O FMT +Output format\\.$")
                .containsPattern("(?m)^  --force +Overwrite\\.$")
                .containsPattern("(?m)^  -h, --help +Show this help and exit\\.$");
    }

    @Test
    void longDescriptionsWrapUnderTheirColumn() {
        StringWriter text = new StringWriter();
        String words = "word ".repeat(40).strip();
        Syntax.printColumns(new PrintWriter(text), List.<String[]>of(new String[] {"-x", words}));
        List<String> lines = text.toString().lines().toList();
        assertThat(lines).hasSizeGreaterThan(1).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
        assertThat(lines.get(1)).startsWith("      word");
        assertThat(String.join(" ", lines).replaceAll(" +", " ").strip()).isEqualTo("-x " + words);
    }
}
