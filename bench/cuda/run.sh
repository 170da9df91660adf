#!/usr/bin/env bash
# Builds libpstorch_cuda for this machine's GPU and runs the kernel bandwidth benchmark (needs a GPU).
#   bench/cuda/run.sh            e.g. through the device tool: run "bash bench/cuda/run.sh"
# CUDA_ARCHS defaults to the local GPU's architecture (nvidia-smi), so the build takes one architecture.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
if [[ -z "${CUDA_ARCHS:-}" ]] && command -v nvidia-smi >/dev/null; then
    export CUDA_ARCHS="$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -1 | tr -d '.')"
fi
out="${BUILD_DIR:-$root/native/cuda/build-bench}"
"$root/native/cuda/build.sh" "$out"
nvcc -O2 -std=c++17 -I"$root/native/cuda/include" "$here/kernels_bench.cu" -o "$out/kernels_bench" \
    -L"$out" -lpstorch_cuda -lstdc++ -Xlinker -rpath,"$out"
"$out/kernels_bench"
