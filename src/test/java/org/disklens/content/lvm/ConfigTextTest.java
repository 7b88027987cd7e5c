package org.disklens.content.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.disklens.content.lvm.ConfigText.Int;
import org.disklens.content.lvm.ConfigText.Items;
import org.disklens.content.lvm.ConfigText.Real;
import org.disklens.content.lvm.ConfigText.Section;
import org.disklens.content.lvm.ConfigText.Text;
import org.junit.jupiter.api.Test;

/** LVM2's configuration language, as libdm's config parser reads it, on texts written for each rule. */
class ConfigTextTest {
    @Test
    void readsSectionsValuesArraysAndComments() throws ConfigText.Problem {
        Section root = parse("""
                # a comment
                vg0 {\tid = "abc" # trailing comment
                  seqno = 12
                  ratio = 0.5
                  status = ["READ", "WRITE"]
                  empty = [ ]
                  stripes = [ "pv0", 0, "pv1", 7, ]
                  inner { deep { x = -3 } }
                }
                version = 1
                """);
        Section vg = root.sections().getFirst();
        assertThat(vg.name()).isEqualTo("vg0");
        assertThat(vg.get("id")).contains(new Text("abc"));
        assertThat(vg.get("seqno")).contains(new Int(12));
        assertThat(vg.get("ratio")).contains(new Real(0.5));
        assertThat(vg.get("status")).contains(new Items(List.of(new Text("READ"), new Text("WRITE"))));
        assertThat(vg.get("empty")).contains(new Items(List.of()));
        assertThat(vg.get("stripes")).contains(new Items(List.of(new Text("pv0"), new Int(0), new Text("pv1"), new Int(7))));
        assertThat(((Section) ((Section) vg.get("inner").orElseThrow()).get("deep").orElseThrow()).get("x"))
                .contains(new Int(-3));
        assertThat(root.get("version")).contains(new Int(1));
    }

    @Test
    void stringsKeepEscapesInDoubleQuotesOnlyAndAreUtf8() throws ConfigText.Problem {
        Section root = parse("a = \"q\\\"uote\\\\d # not a comment\"\nb = 'single \\ raw'\nc = \"ünï\"");
        assertThat(root.get("a")).contains(new Text("q\"uote\\d # not a comment"));
        assertThat(root.get("b")).contains(new Text("single \\ raw"));
        assertThat(root.get("c")).contains(new Text("ünï"));
    }

    @Test
    void aNulEndsTheText() throws ConfigText.Problem {
        byte[] text = "a = 1\n\0garbage { [".getBytes(StandardCharsets.US_ASCII);
        assertThat(ConfigText.parse(text, text.length).entries()).hasSize(1);
    }

    @Test
    void syntaxErrorsSayWhereAndWhat() {
        assertProblem("a = ", 4, "expected a value, found the end of the text");
        assertProblem("a = \"open", 4, "string does not end");
        assertProblem("a { b = 1", 9, "expected '}', found the end of the text");
        assertProblem("a = [1, [2]]", 8, "expected a value, found '['");
        assertProblem("a = 99999999999999999999", 4, "number 99999999999999999999 is out of range");
        assertProblem("= 1", 0, "expected a name, found '='");
        assertProblem("a = word", 4, "expected a value, found word");
        assertProblem("a }", 2, "expected '=', found '}'");
    }

    @Test
    void limitsStopNestingLongStringsAndTooManyItems() {
        String deep = "a {".repeat(100_000) + "}".repeat(100_000);
        assertLimit(deep, "sections nested deeper than 16");
        assertLimit("a = \"" + "x".repeat(ConfigText.MAX_STRING + 1) + "\"", "string longer than");
        assertLimit("a = [" + "1,".repeat(ConfigText.MAX_ITEMS) + "]", "more than 200000 items");
    }

    private static Section parse(String text) throws ConfigText.Problem {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return ConfigText.parse(bytes, bytes.length);
    }

    private static void assertProblem(String text, int position, String message) {
        assertThatThrownBy(() -> parse(text)).isInstanceOfSatisfying(ConfigText.Problem.class, problem -> {
            assertThat(problem.getMessage()).isEqualTo(message);
            assertThat(problem.position).isEqualTo(position);
            assertThat(problem.limit).isFalse();
        });
    }

    private static void assertLimit(String text, String message) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> parse(text)).isInstanceOfSatisfying(ConfigText.Problem.class, problem -> {
            assertThat(problem.getMessage()).startsWith(message);
            assertThat(problem.limit).isTrue();
        });
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }
}
