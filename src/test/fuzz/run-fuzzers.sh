#!/usr/bin/env bash
# Fuzzes every parser for real (Jazzer, coverage-guided): each fuzz test for 30 s per round.
#   src/test/fuzz/run-fuzzers.sh            one round: CI's short run
#   src/test/fuzz/run-fuzzers.sh 20         twenty rounds (10 min per parser): a longer run
# The corpus grows in .cifuzz-corpus/ from round to round. A finding fails the run and leaves its input
# as crash-* in the test's Inputs folder, in its package's test resources (src/test/resources/org/disklens/…):
# fix the bug, rename the file after what it reproduces (regression-…), commit it; mvn verify replays it from then on.
# Every *FuzzTest in src/test/java is run: one per format and per file system, in its own package.
set -euo pipefail
cd "$(dirname "$0")/../../.."
rounds=${1:-1}
tests=$(cd src/test/java && find org -name '*FuzzTest.java' ! -name ParserFuzzTest.java | sort | sed 's#/#.#g; s#\.java$##')

for round in $(seq "$rounds"); do
    for test in $tests; do
        echo "fuzzing ${test##*.} (round $round of $rounds)"
        JAZZER_FUZZ=1 mvn -B -q test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false
    done
done
