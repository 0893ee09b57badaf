#!/usr/bin/env bash
# The main job: install deps, build Release, regenerate the generated files.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

echo "==================== dependencies ===================="
bash .ci/deps.sh

echo "==================== configure + build (Release) ===================="
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j2

echo "==================== schemactl generate ===================="
build/schemactl generate
