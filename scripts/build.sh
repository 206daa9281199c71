#!/usr/bin/env bash
# Builds lunglens: the native library, tests and tools (build/native), and the
# two WebAssembly variants (build/wasm-threads, build/wasm-nothreads).
# GDCM is built once per toolchain into the cache (scripts/build-gdcm.sh).
#
# The web target assembles the static site (build/site) from the wasm builds.
#
# Usage: scripts/build.sh [native] [wasm] [web]     (default: native wasm)
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
jobs=${LUNGLENS_JOBS:-$(nproc)}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(native wasm); fi

for target in "${targets[@]}"; do
  case "$target" in
    native)
      cmake -S "$here" -B "$here/build/native" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
      cmake --build "$here/build/native" -j "$jobs"
      ;;
    wasm)
      export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
      for threads in ON OFF; do
        if [ $threads = ON ]; then folder=wasm-threads; else folder=wasm-nothreads; fi
        emcmake cmake -S "$here" -B "$here/build/$folder" -G Ninja -DCMAKE_BUILD_TYPE=Release \
          -DLUNGLENS_WASM_THREADS=$threads >/dev/null
        cmake --build "$here/build/$folder" -j "$jobs"
      done
      ;;
    web)
      "$here/scripts/build-web.sh"
      ;;
    *)
      echo "build.sh: unknown target '$target' (expected native, wasm or web)" >&2
      exit 2
      ;;
  esac
done
