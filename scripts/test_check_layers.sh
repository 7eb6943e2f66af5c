#!/usr/bin/env bash
# Checks scripts/check_layers.sh itself on small trees it makes: an include that runs down the order passes;
# one that runs up, one between two folders of one layer, and a source folder in no layer each fail.
set -euo pipefail
check="$(cd "$(dirname "$0")" && pwd)/check_layers.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

make_tree() {
  rm -rf "$tmp/tree" && mkdir -p "$tmp/tree/core" "$tmp/tree/neurons" "$tmp/tree/chip" "$tmp/tree/run"
  echo '#pragma once' > "$tmp/tree/core/time.hpp"
  printf '#include "core/time.hpp"\n' > "$tmp/tree/neurons/encoder.hpp"
  printf '#include "neurons/encoder.hpp"\n#include "core/time.hpp"\n' > "$tmp/tree/run/pipeline.cpp"
}

expect_fail() {  # name, expected text in the message
  if out=$("$check" "$tmp/tree" 2>&1); then
    echo "FAIL: $1: check_layers passed" >&2
    exit 1
  fi
  grep -q "$2" <<<"$out" || { echo "FAIL: $1: message lacks '$2': $out" >&2; exit 1; }
  echo "ok: $1"
}

make_tree
"$check" "$tmp/tree" >/dev/null || { echo "FAIL: a tree in order was refused" >&2; exit 1; }
echo "ok: a tree in order passes"

make_tree
printf '#include "run/pipeline.hpp"\n' >> "$tmp/tree/core/time.hpp"
expect_fail "core includes run" 'core/time.hpp:2: core/ (layer 0) includes "run/pipeline.hpp"'

make_tree
printf '#include "chip/memory.hpp"\n' >> "$tmp/tree/neurons/encoder.hpp"
expect_fail "two folders of one layer" 'neurons/encoder.hpp:2: neurons/ (layer 1) includes "chip/memory.hpp" of chip/ (layer 1)'

make_tree
mkdir -p "$tmp/tree/misc" && echo '' > "$tmp/tree/misc/x.cpp"
expect_fail "a folder in no layer" 'misc/: holds C++ sources but is in no layer'

echo "test_check_layers: 4 cases passed"
