#!/usr/bin/env bash
# Installs what softspike needs from Debian (only the packages that are missing), then configures and
# builds it in build/ (Release). Idempotent: a second run installs nothing and rebuilds only what changed.
# Usage: scripts/setup.sh [extra cmake arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake ninja-build libboost-dev libtbb-dev nlohmann-json3-dev doctest-dev zlib1g-dev
          libopenblas-pthread-dev libhdf5-dev dataset-fashion-mnist python3-h5py pybind11-dev python3-dev
          python3-numpy python3-pytest)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build build --parallel
