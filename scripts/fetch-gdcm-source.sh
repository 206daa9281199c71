#!/usr/bin/env bash
# Downloads and unpacks the GDCM source package from Debian into the
# lunglens cache (default ~/.cache/lunglens, override with LUNGLENS_CACHE).
# Prints nothing on stdout; the unpacked tree is $cache/src/gdcm-<version>.
set -euo pipefail

cache=${LUNGLENS_CACHE:-$HOME/.cache/lunglens}
src_root="$cache/src"
mkdir -p "$src_root"

existing=$(find "$src_root" -maxdepth 1 -type d -name 'gdcm-3.*' | sort | tail -n 1)
if [ -n "$existing" ] && [ -f "$existing/CMakeLists.txt" ]; then
  exit 0
fi

download_dir=$(mktemp -d)
trap 'rm -rf "$download_dir"' EXIT
echo "setup: downloading the GDCM source package into $src_root" >&2
(cd "$download_dir" && apt-get source --download-only gdcm >/dev/null)
tarball=$(find "$download_dir" -maxdepth 1 -name 'gdcm_3.*.orig.tar.*' | head -n 1)
if [ -z "$tarball" ]; then
  echo "setup: apt-get source gdcm gave no gdcm_3.*.orig.tar.* file" >&2
  exit 1
fi
version=$(basename "$tarball" | sed -E 's/^gdcm_([0-9.]+)\.orig\.tar\..*$/\1/')
mkdir -p "$src_root/gdcm-$version.tmp"
tar -xf "$tarball" -C "$src_root/gdcm-$version.tmp" --strip-components=1
mv "$src_root/gdcm-$version.tmp" "$src_root/gdcm-$version"
