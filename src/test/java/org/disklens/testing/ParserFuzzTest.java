package org.disklens.testing;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The settings of every parser fuzz test, in one place. Each format or file system has its fuzz test in its own
 * package ({@code image/qcow2/Qcow2FuzzTest}, {@code content/iso/IsoFuzzTest}), with its seeds and regression inputs
 * in the same package's test resources ({@code <Test>Inputs/<method>/}, made by that folder's make-fuzz-seeds.sh).
 * {@code mvn verify} replays them; in a fuzzing run ({@code JAZZER_FUZZ=1}, src/test/fuzz/run-fuzzers.sh) a test
 * fuzzes for 30 seconds (CI's short run; the corpus in {@code .cifuzz-corpus/} grows between runs). Slow inputs are
 * findings too: {@link FuzzTarget} fails any input that takes over 10 seconds. (JUnit's {@code @Timeout} is not
 * used: under Maven it would bound the whole fuzzing run.)
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@FuzzTest(maxDuration = "30s")
public @interface ParserFuzzTest {
}
