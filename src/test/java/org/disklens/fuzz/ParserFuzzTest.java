package org.disklens.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The settings of every parser fuzz test, in one place. In a fuzzing run ({@code JAZZER_FUZZ=1}) a test
 * fuzzes for 30 seconds (CI's short run; run it again to go on, the corpus in {@code .cifuzz-corpus/}
 * grows between runs). Slow inputs are findings too: {@link FuzzTarget} fails any input that takes over
 * 10 seconds. (JUnit's {@code @Timeout} is not used: under Maven it would bound the whole fuzzing run.)
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@FuzzTest(maxDuration = "30s")
public @interface ParserFuzzTest {
}
