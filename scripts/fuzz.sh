#!/bin/sh
# Builds the libFuzzer targets (clang, ASan + UBSan) in build-fuzz/ and runs each for SECONDS.
#   scripts/fuzz.sh SECONDS [fuzz_idx fuzz_config fuzz_checkpoint]
# Seeds come from fuzz/corpus/TARGET (kept in the repo, read only); what the fuzzer finds goes to
# build-fuzz/corpus/TARGET, crashing inputs to build-fuzz/artifacts/. Prints each target's executions and
# the number of crashing inputs; exits non-zero if any target found one.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:?usage: scripts/fuzz.sh SECONDS [target...]}
shift
targets=${*:-fuzz_idx fuzz_config fuzz_checkpoint}
if ! command -v clang++ >/dev/null 2>&1; then
    echo "scripts/fuzz.sh: clang++ is missing: apt-get install -y clang" >&2
    exit 2
fi
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOFTSPIKE_FUZZ=ON \
    -DSOFTSPIKE_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz --target $targets
status=0
for target in $targets; do
    mkdir -p "build-fuzz/corpus/$target" "build-fuzz/artifacts/$target"
    log="build-fuzz/$target.log"
    set +e
    "build-fuzz/$target" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="build-fuzz/artifacts/$target/" "build-fuzz/corpus/$target" "fuzz/corpus/$target" \
        >"$log" 2>&1
    rc=$?
    set -e
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    found=$(find "build-fuzz/artifacts/$target" -type f | wc -l)
    corpus=$(find "build-fuzz/corpus/$target" -type f | wc -l)
    echo "$target: ${seconds}s, $runs executions, corpus $corpus inputs, $found crashing inputs, exit $rc (log $log)"
    if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then status=1; fi
done
exit $status
