#!/bin/sh
# Builds the libFuzzer targets (clang, ASan + UBSan) in build-fuzz/ and runs each for SECONDS.
#   scripts/fuzz.sh SECONDS [fuzz_idx fuzz_config fuzz_checkpoint fuzz_nir_graph fuzz_nir_file]
# Seeds come from fuzz/corpus/TARGET (kept in the repo, read only); what the fuzzer finds goes to
# build-fuzz/corpus/TARGET, crashing inputs to build-fuzz/artifacts/. Each crashing input is run again and
# sorted: a fault inside Debian's libhdf5 on memory libhdf5 allocated (HDF5's own parsing of a corrupt file,
# which our code cannot guard against; see the README) is counted apart and the fuzzer goes on with the time
# left; any other crashing input stops the target. Prints each target's executions and both counts; exits
# non-zero if any target found a crash of ours.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:?usage: scripts/fuzz.sh SECONDS [target...]}
shift
targets=${*:-fuzz_idx fuzz_config fuzz_checkpoint fuzz_nir_graph fuzz_nir_file}
if ! command -v clang++ >/dev/null 2>&1; then
    echo "scripts/fuzz.sh: clang++ is missing: apt-get install -y clang" >&2
    exit 2
fi
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOFTSPIKE_FUZZ=ON \
    -DSOFTSPIKE_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz --target $targets

# Prints "libhdf5" when running $1 on $2 gives an AddressSanitizer report (or a leak, an allocation beyond the
# memory limit, a hang past the timeout) whose faulting frame is in libhdf5 and whose every allocation or free
# (every leaked block) was made by libhdf5; "ours"
# otherwise (anything else, when unsure). Slow inputs (slow-unit-*) are kept but are no crash. Leaks are
# checked after fuzzing, on each corpus input alone.
triage() {
    "$1" -timeout=30 -rss_limit_mb=4096 -malloc_limit_mb=1024 "$2" 2>&1 | awk '
        /ERROR: (AddressSanitizer|LeakSanitizer)|ERROR: libFuzzer: (out-of-memory \(malloc|timeout)/ { report = 1 }
        /^ *#[0-9]+ / {
            if ($0 ~ /interceptor|sanitizer|__asan|__ubsan|fuzzer::|libc\.so|in malloc|in calloc|in realloc|in operator new/) next
            if (!seen) { seen = 1; if ($0 !~ /libhdf5/) ours = 1 }
            next
        }
        /allocated by thread|freed by thread|leak of .* allocated from/ { seen = 0 }
        /^$/ { seen = 1 }
        END { print ((ours || !report) ? "ours" : "libhdf5") }'
}

# Counts the finding FILE (kept as ARTIFACT) as libhdf5's (renamed *.libhdf5) or ours; returns 1 if ours.
sort_finding() {
    if [ "$(triage "build-fuzz/$target" "$1")" = libhdf5 ]; then
        upstream=$((upstream + 1))
        mv "$2" "$2.libhdf5"
        return 0
    fi
    ours=$((ours + 1))
    return 1
}

status=0
for target in $targets; do
    mkdir -p "build-fuzz/corpus/$target" "build-fuzz/artifacts/$target"
    runs=0
    upstream=0
    ours=0
    start=$(date +%s)
    restarts=0
    while :; do
        left=$((seconds - ($(date +%s) - start)))
        [ "$left" -gt 0 ] || break
        log="build-fuzz/$target.log"
        before=$(find "build-fuzz/artifacts/$target" -type f | sort)
        set +e
        "build-fuzz/$target" -max_total_time="$left" -max_len=65536 -rss_limit_mb=4096 -malloc_limit_mb=1024 -timeout=30 -detect_leaks=0 -print_final_stats=1 \
            -artifact_prefix="build-fuzz/artifacts/$target/" "build-fuzz/corpus/$target" "fuzz/corpus/$target" \
            >"$log" 2>&1
        rc=$?
        set -e
        n=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
        runs=$((runs + n))
        [ "$rc" -eq 0 ] && break
        new=$(find "build-fuzz/artifacts/$target" -type f ! -name 'slow-unit-*' | sort | grep -vxF "$before" || true)
        if [ -z "$new" ]; then ours=$((ours + 1)); echo "$target: exit $rc without a crashing input (see $log)"; break; fi
        stop=0
        for f in $new; do
            sort_finding "$f" "$f" || stop=1
        done
        restarts=$((restarts + 1))
        [ "$stop" -eq 0 ] && [ "$restarts" -lt 100 ] || break
    done
    # Leaks are looked for afterwards, input by input: while fuzzing, libFuzzer can blame a leak on another
    # input than the one that leaked (and HDF5 keeps state between inputs).
    leaks=0
    for f in "build-fuzz/corpus/$target"/* "fuzz/corpus/$target"/*; do
        [ -f "$f" ] || continue
        if "build-fuzz/$target" -timeout=30 "$f" 2>&1 | grep -q "ERROR: LeakSanitizer"; then
            kept="build-fuzz/artifacts/$target/leak-$(basename "$f")"
            cp "$f" "$kept"
            sort_finding "$f" "$kept" || true
            leaks=$((leaks + 1))
        fi
    done
    corpus=$(find "build-fuzz/corpus/$target" -type f | wc -l)
    echo "$target: ${seconds}s, $runs executions, corpus $corpus inputs, $ours findings of ours," \
         "$upstream inside libhdf5 (*.libhdf5 in build-fuzz/artifacts/$target), $leaks of all of them leaks;" \
         "log $log"
    if [ "$ours" -ne 0 ]; then status=1; fi
done
exit $status
