#!/usr/bin/env bash
# Builds the static GDCM libraries (with their bundled OpenJPEG, CharLS, IJG
# JPEG 8/12/16, zlib and expat) for one toolchain and installs them into the
# lunglens cache, outside any build folder, so that rebuilds and CI reuse them.
#
# Usage: scripts/build-gdcm.sh native|wasm-threads|wasm-nothreads
# Prints the install prefix on stdout. The prefix is keyed by the GDCM version,
# the compiler version and the flags, so a toolchain upgrade builds anew.
set -euo pipefail

variant=${1:?usage: build-gdcm.sh native|wasm-threads|wasm-nothreads}
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${LUNGLENS_CACHE:-$HOME/.cache/lunglens}
jobs=${LUNGLENS_JOBS:-$(nproc)}

"$here/scripts/fetch-gdcm-source.sh"
src=$(find "$cache/src" -maxdepth 1 -type d -name 'gdcm-3.*' | sort | tail -n 1)
version=${src##*/gdcm-}

case "$variant" in
  native)
    compiler_id="gcc-$(gcc -dumpfullversion)"
    flags="-O2 -fPIC"
    configure=(cmake)
    ;;
  wasm-threads|wasm-nothreads)
    export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
    compiler_id="emscripten-$(emcc -dumpversion)"
    flags="-O2 -msimd128 -fexceptions"
    if [ "$variant" = wasm-threads ]; then flags="$flags -pthread"; fi
    configure=(emcmake cmake)
    ;;
  *)
    echo "build-gdcm.sh: unknown variant '$variant' (expected native, wasm-threads or wasm-nothreads)" >&2
    exit 2
    ;;
esac

flags_key=$(printf '%s' "$flags" | md5sum | cut -c1-8)
prefix="$cache/gdcm-$version-$variant-$compiler_id-$flags_key"
if [ -f "$prefix/.complete" ]; then
  echo "$prefix"
  exit 0
fi

build_dir="$cache/build/gdcm-$version-$variant-$compiler_id-$flags_key"
rm -rf "$build_dir" "$prefix"
mkdir -p "$build_dir"
echo "build-gdcm: building GDCM $version ($variant) in $build_dir" >&2

"${configure[@]}" -S "$src" -B "$build_dir" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DGDCM_BUILD_SHARED_LIBS=OFF -DGDCM_BUILD_APPLICATIONS=OFF \
  -DGDCM_BUILD_TESTING=OFF -DGDCM_BUILD_EXAMPLES=OFF -DGDCM_BUILD_DOCBOOK_MANPAGES=OFF \
  -DGDCM_USE_VTK=OFF -DGDCM_WRAP_PYTHON=OFF -DGDCM_WRAP_JAVA=OFF -DGDCM_WRAP_CSHARP=OFF \
  -DGDCM_USE_SYSTEM_ZLIB=OFF -DGDCM_USE_SYSTEM_EXPAT=OFF -DGDCM_USE_SYSTEM_OPENJPEG=OFF \
  -DGDCM_USE_SYSTEM_CHARLS=OFF -DGDCM_USE_SYSTEM_UUID=OFF -DGDCM_USE_SYSTEM_JSON=OFF \
  -DGDCM_USE_SYSTEM_PAPYRUS3=OFF -DGDCM_USE_SYSTEM_SOCKETXX=OFF -DGDCM_USE_SYSTEM_LJPEG=OFF \
  -DGDCM_USE_SYSTEM_OPENSSL=OFF -DGDCM_USE_SYSTEM_POPPLER=OFF -DGDCM_USE_SYSTEM_LIBXML2=OFF \
  >"$build_dir/configure.log" 2>&1 || { tail -n 40 "$build_dir/configure.log" >&2; exit 1; }

make -C "$build_dir" -j"$jobs" gdcmMSFF >"$build_dir/build.log" 2>&1 || { tail -n 40 "$build_dir/build.log" >&2; exit 1; }

# Install only the libraries and headers lunglens links against; "make install"
# would build the whole tree.
mkdir -p "$prefix/lib" "$prefix/include"
find "$build_dir" -name 'libgdcm*.a' -exec cp {} "$prefix/lib/" \;
cp "$src"/Source/*/*.h "$src"/Source/*/*.txx "$prefix/include/" 2>/dev/null || true
find "$src/Source" -name '*.h' -exec cp -n {} "$prefix/include/" \;
find "$src/Source" -name '*.txx' -exec cp -n {} "$prefix/include/" \;
find "$build_dir/Source" -name '*.h' -exec cp {} "$prefix/include/" \;
echo "$version" >"$prefix/.complete"
echo "$prefix"
