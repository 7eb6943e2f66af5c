#!/usr/bin/env bash
# Checks that the library's folders depend in one direction (README, "Layout"): every `#include "folder/…"`
# in a library folder must name its own folder or one of a lower layer. Folders of one layer do not include
# each other. tests/, bench/ and fuzz/ sit outside the layers and may include anything.
# Prints each include that runs against the order, with file and line, and exits 1 if there is one.
# Usage: scripts/check_layers.sh [source root] (default: the repository this script is in)
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root"

# Lowest first; folders on one line form one layer.
layers=(
  "core"
  "neurons plasticity readout chip"
  "network"
  "rate"
  "run"
  "io"
  "report"
  "apps python"
)

declare -A rank
for i in "${!layers[@]}"; do
  for folder in ${layers[$i]}; do rank[$folder]=$i; done
done

status=0
checked=0
for folder in "${!rank[@]}"; do
  [ -d "$folder" ] || continue
  while IFS= read -r -d '' file; do
    checked=$((checked + 1))
    while IFS=: read -r line target; do
      included="${target%%/*}"
      if [ "$included" = "$target" ]; then
        echo "$file:$line: includes \"$target\", which names no folder" >&2
        status=1
        continue
      fi
      if [ -z "${rank[$included]+x}" ]; then
        echo "$file:$line: includes \"$target\" from $included/, which is not a library folder" >&2
        status=1
      elif [ "$included" != "$folder" ] && [ "${rank[$included]}" -ge "${rank[$folder]}" ]; then
        echo "$file:$line: $folder/ (layer ${rank[$folder]}) includes \"$target\" of $included/ (layer ${rank[$included]}): against the order" >&2
        status=1
      fi
    done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$file" |
             sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1:\2/')
  done < <(find "$folder" -type f \( -name '*.hpp' -o -name '*.cpp' \) -print0)
done

# A folder of sources that is in no layer would escape the check.
for dir in */; do
  dir="${dir%/}"
  case "$dir" in tests | bench | fuzz | build* | docs | configs | scripts) continue ;; esac
  if [ -z "${rank[$dir]+x}" ] && [ -n "$(find "$dir" -name '*.?pp' -print -quit)" ]; then
    echo "$dir/: holds C++ sources but is in no layer of scripts/check_layers.sh" >&2
    status=1
  fi
done

if [ "$status" -eq 0 ]; then
  echo "check_layers: $checked files, every include follows the order ${layers[*]}"
fi
exit "$status"
