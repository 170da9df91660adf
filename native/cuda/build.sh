#!/usr/bin/env bash
# Builds libpstorch_cuda.so (Linux) from native/cuda/src with nvcc: one object per .cu, compiled in
# parallel and only when its source, a header or the flags changed; the CUDA runtime linked statically,
# cuBLAS dynamically. Usable on any machine with nvcc (CI, the GPU machine, a developer's box).
#
#   native/cuda/build.sh [OUTPUT_DIR]        default: native/cuda/build
#
# Environment:
#   NVCC         the compiler (default: nvcc on PATH)
#   CUDA_ARCHS   real architectures, e.g. "90" on an H100 (default: 70 75 80 86 89 90, keeping those this
#                nvcc supports), plus PTX of the highest so newer GPUs can JIT-compile it
#   NVCC_CCBIN   host compiler (default: clang-14 for nvcc 11.x when present: Debian 12's gcc 12 is too new for it)
#   JOBS         parallel compiles (default: nproc)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/build}"
nvcc="${NVCC:-nvcc}"
command -v "$nvcc" >/dev/null || { echo "build.sh: nvcc not found (set NVCC or put it on PATH)" >&2; exit 1; }
mkdir -p "$out/obj"

version="$("$nvcc" --version | sed -n 's/.*release \([0-9]*\)\.\([0-9]*\).*/\1.\2/p')"
supported=" $("$nvcc" --list-gpu-code 2>/dev/null | tr '\n' ' ') "
archs=()
for a in ${CUDA_ARCHS:-70 75 80 86 89 90}; do
    if [[ "$supported" == *" sm_$a "* ]]; then archs+=("$a"); else echo "build.sh: nvcc $version cannot build sm_$a; skipped"; fi
done
[[ ${#archs[@]} -gt 0 ]] || { echo "build.sh: none of the requested architectures is supported by nvcc $version" >&2; exit 1; }
gencode=()
for a in "${archs[@]}"; do gencode+=("-gencode" "arch=compute_$a,code=sm_$a"); done
gencode+=("-gencode" "arch=compute_${archs[-1]},code=compute_${archs[-1]}")

ccbin=()
if [[ -n "${NVCC_CCBIN:-}" ]]; then ccbin=("-ccbin" "$NVCC_CCBIN")
elif [[ "$version" == 11.* ]] && command -v clang-14 >/dev/null; then ccbin=("-ccbin" "clang-14")
fi

flags=("${ccbin[@]}" -std=c++17 -O3 --expt-relaxed-constexpr -Xcompiler -fPIC -Xcompiler -fvisibility=hidden
       -DPSTORCH_CUDA_BUILD -I"$here/include" "${gencode[@]}")

# Objects depend on the flags and every header: a change to either rebuilds everything.
stamp="$out/obj/flags"
signature="$(printf '%s\n' "$version" "${flags[@]}"; cat "$here"/include/*.h "$here"/src/*.cuh | sha256sum)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$signature" ]]; then rm -f "$out"/obj/*.o; fi

stale=()
for src in "$here"/src/*.cu; do
    obj="$out/obj/$(basename "${src%.cu}").o"
    [[ -f "$obj" && "$obj" -nt "$src" ]] || stale+=("$src")
done
echo "nvcc $version: sm_${archs[*]} + compute_${archs[-1]} PTX; ${#stale[@]} of $(ls "$here"/src/*.cu | wc -l) sources to compile"
if [[ ${#stale[@]} -gt 0 ]]; then
    export NVCC_FLAGS_FILE="$out/obj/flags.args"
    printf '%s\n' "${flags[@]}" > "$NVCC_FLAGS_FILE"
    printf '%s\n' "${stale[@]}" | xargs -P "${JOBS:-$(nproc)}" -I{} bash -c '
        src="$1"; obj="$2/obj/$(basename "${src%.cu}").o"
        mapfile -t flags < "$NVCC_FLAGS_FILE"
        echo "  nvcc $(basename "$src")"
        "$3" "${flags[@]}" -c "$src" -o "$obj.tmp" && mv "$obj.tmp" "$obj"' _ {} "$out" "$nvcc"
fi
printf '%s' "$signature" > "$stamp"

lib="$out/libpstorch_cuda.so"
newest="$(ls -t "$out"/obj/*.o "$here/build.sh" | head -1)"
if [[ ! -f "$lib" || "$newest" -nt "$lib" ]]; then
    # libstdc++ and libm explicitly: clang as the host compiler links like a C driver and would leave std::call_once
    # (and the host-side pow/sqrt of the optimizer steps) unresolved.
    "$nvcc" "${ccbin[@]}" -shared -cudart static -o "$lib.tmp" "$out"/obj/*.o -lcublas -lstdc++ -lm -Xlinker -rpath,'$ORIGIN' -Xlinker --no-undefined
    mv "$lib.tmp" "$lib"
fi
echo "built $lib"
