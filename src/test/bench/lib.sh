# Shared by the benchmark scripts (sourced, not run): where DiskLens is, and how runs are timed.
#   best_ms CMD...               best wall-clock time of CMD over $runs runs, in ms (output discarded); before
#                                each run, untimed, the command in $bench_before if set (e.g. rm the output; sync)
#   best_pair_ms "CMD A" "CMD B"  best times of two commands run alternately $runs times each ("A_MS B_MS"): a
#                                run leaves the machine's memory as the next one finds it, so neither tool always
#                                follows the other (each command a string, eval'd; $bench_before before each run)
#   warm_ms OUTPUT ARGS...       best time of `disklens ARGS` run again inside one JVM (org.disklens.tools.WarmRun),
#                                OUTPUT removed before each run: the engine without the JVM's start, as the window
#   ratio A B                    A / B with two decimals
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
disklens="$top/target/disklens"
[ -x "$disklens" ] && [ -d "$top/target/test-classes/org/disklens/tools" ] \
    || { echo "build first: mvn -q package -DskipTests" >&2; exit 1; }
# The Java the launcher uses (it remembers the one it found), for the warm runs.
"$disklens" --version >/dev/null
bench_java=${DISKLENS_JAVA:-$(cat "${XDG_CACHE_HOME:-$HOME/.cache}/disklens/java-$(id -u)" 2>/dev/null || true)}
[ -x "$bench_java" ] || { echo "set DISKLENS_JAVA to a Java 25 or newer" >&2; exit 1; }

best_ms() {
    local best="" start end t
    for _ in $(seq "$runs"); do
        if [ -n "${bench_before:-}" ]; then eval "$bench_before"; fi
        start=$(date +%s%N); "$@" >/dev/null 2>&1; end=$(date +%s%N)
        t=$(( (end - start) / 1000000 ))
        if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
    done
    echo "$best"
}

best_pair_ms() {
    local best_a="" best_b="" start end t
    for _ in $(seq "$runs"); do
        for which in a b; do
            if [ -n "${bench_before:-}" ]; then eval "$bench_before"; fi
            start=$(date +%s%N)
            if [ "$which" = a ]; then eval "$1" >/dev/null 2>&1; else eval "$2" >/dev/null 2>&1; fi
            end=$(date +%s%N)
            t=$(( (end - start) / 1000000 ))
            if [ "$which" = a ]; then
                if [ -z "$best_a" ] || [ "$t" -lt "$best_a" ]; then best_a=$t; fi
            elif [ -z "$best_b" ] || [ "$t" -lt "$best_b" ]; then best_b=$t; fi
        done
    done
    echo "$best_a $best_b"
}

warm_ms() {
    local output=$1; shift
    "$bench_java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow ${DISKLENS_JAVA_OPTIONS:-} \
        -cp "$top/target/disklens.jar:$top/target/lib/*:$top/target/test-classes" \
        org.disklens.tools.WarmRun "$runs" "$output" "$@" 2>/dev/null || echo fail
}

ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (a == "fail" || b == "fail" || b == 0) print "n/a"; else printf "%.2f", a / b }'
}
