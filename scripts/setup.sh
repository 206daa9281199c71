#!/usr/bin/env bash
# Installs everything lunglens needs on a fresh Debian 12 machine: compilers,
# Emscripten, the GDCM source package, test tools, Chromium and the npm
# packages. Safe to run again: each step checks before it installs.
#
# Usage: scripts/setup.sh            (needs root, or sudo on PATH)
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi

apt_packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  emscripten doctest-dev
  chromium
)

# Node 20 is preinstalled on the project's machines; elsewhere Debian's own
# nodejs and npm are installed.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt_packages+=(nodejs npm)
fi

missing=()
for package in "${apt_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

# GDCM is built from its Debian source package, so apt needs a deb-src entry.
sources_file=/etc/apt/sources.list.d/lunglens-deb-src.sources
need_update=0
if ! grep -rqs "deb-src" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "setup: adding a deb-src entry for bookworm in $sources_file" >&2
  $sudo_cmd tee "$sources_file" >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  need_update=1
fi

if [ ${#missing[@]} -gt 0 ] || [ $need_update -eq 1 ]; then
  $sudo_cmd apt-get update -q
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The GDCM source tarball; scripts/build-gdcm.sh builds it for each toolchain.
"$here/scripts/fetch-gdcm-source.sh"

# npm packages (versions pinned in package-lock.json).
if [ -f "$here/package.json" ]; then
  if [ ! -d "$here/node_modules" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
    echo "setup: npm ci" >&2
    (cd "$here" && npm ci --no-audit --no-fund)
  fi
fi

echo "setup: done" >&2
