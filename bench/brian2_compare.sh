#!/usr/bin/env bash
# The speed benchmark against Brian2: the same workload (configs/bench_diehl_cook.json; bench/brian2_diehl_cook.py) in
# softspike and in Brian2 2.5.1 (Debian python3-brian, cpp_standalone, one thread), in one invocation, on the
# same first IMAGES training images, for N = 400 and 1600. Prints synaptic events/s, images/s, peak RSS and
# weight bytes per synapse of softspike, Brian2's run and compile times, and the ratio of events/s.
# Synaptic events: input spikes x N + excitatory -> inhibitory + inhibitory -> excitatory deliveries (Brian2,
# from its spike monitors); softspike counts its own deliveries exactly. Usage: bench/brian2_compare.sh [IMAGES]
set -euo pipefail
cd "$(dirname "$0")/.."
images=${1:-100}
if ! /usr/bin/python3 -c "import brian2" 2>/dev/null; then
    echo "brian2_compare: Brian2 is missing: apt-get install python3-brian" >&2
    exit 1
fi
out=$(mktemp -d)
printf "%-6s %-10s %14s %10s %10s %9s %12s %12s %8s\n" N simulator "syn events/s" "images/s" "run s" "compile s" "peak RSS MiB" "bytes/syn" ratio
for n in 400 1600; do
    build/softspike events --learning --config configs/bench_diehl_cook.json --set population.neurons=$n \
        --set data.train_images="$images" --out "$out/softspike_$n" --quiet >/dev/null
    /usr/bin/python3 bench/brian2_diehl_cook.py "$n" "$images" 2>/dev/null | tail -1 > "$out/brian2_$n.json"
    /usr/bin/python3 - "$out/softspike_$n/report.json" "$out/brian2_$n.json" "$n" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2])); n = int(sys.argv[3])
events = s["spiking"]["counts"]["synaptic_event"]; seconds = s["seconds"]; images = s["spiking"]["images"]
bytes_per_synapse = s["spiking"]["neurobench"]["Footprint"] / (784 * n)
rate = events / seconds
print("%-6d %-10s %14.3g %10.1f %10.2f %9s %12.0f %12.2f %8s" % (n, "softspike", rate, images / seconds, seconds, "-",
      s["peak_rss_mib"], bytes_per_synapse, "%.2fx" % (rate / b["synaptic_events_per_second"])))
print("%-6d %-10s %14.3g %10.1f %10.2f %9.1f %12s %12s %8s" % (n, "brian2", b["synaptic_events_per_second"],
      b["images_per_second"], b["run_seconds"], b["compile_seconds"], "-", "-", "1x"))
PY
done
rm -rf "$out"
