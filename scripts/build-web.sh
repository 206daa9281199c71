#!/usr/bin/env bash
# Assembles the static web app into build/site/, the folder to serve. It
# copies the page and its modules from web/, both WebAssembly builds, the
# vendor files from node_modules and the ONNX models from models/ when
# present. It writes the file list the service worker caches (site-files.json)
# and the service worker with its build id. Everything is served from one
# origin; nothing comes from a CDN.
#
# Needs: scripts/build.sh wasm (both variants) and npm ci.
# Usage: scripts/build-web.sh [OUTPUT_FOLDER]     (default build/site)
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
site=${1:-$here/build/site}

required=(
  "$here/build/wasm-threads/wasm/lunglens-threads.js"
  "$here/build/wasm-threads/wasm/lunglens-threads.wasm"
  "$here/build/wasm-threads/wasm/lunglens-threads.worker.js"
  "$here/build/wasm-nothreads/wasm/lunglens-nothreads.js"
  "$here/build/wasm-nothreads/wasm/lunglens-nothreads.wasm"
  "$here/node_modules/fflate/umd/index.js"
  "$here/node_modules/dcmjs/build/dcmjs.es.js"
)
for file in "${required[@]}"; do
  if [ ! -f "$file" ]; then
    echo "build-web.sh: $file not found; run scripts/build.sh wasm and npm ci first" >&2
    exit 1
  fi
done

rm -rf "$site"
mkdir -p "$site/app" "$site/wasm" "$site/vendor"

# The app, without web/serve.mjs (the development server is not part of the site).
cp "$here/web/index.html" "$site/"
cp "$here"/web/app/*.mjs "$here"/web/app/*.js "$here"/web/app/*.css "$site/app/"
if [ -d "$here/web/neural" ]; then cp -r "$here/web/neural" "$site/neural"; fi

cp "$here"/build/wasm-threads/wasm/lunglens-threads.{js,wasm,worker.js} "$site/wasm/"
cp "$here"/build/wasm-nothreads/wasm/lunglens-nothreads.{js,wasm} "$site/wasm/"
cp "$here/node_modules/fflate/umd/index.js" "$site/vendor/fflate.js"
cp "$here/node_modules/dcmjs/build/dcmjs.es.js" "$site/vendor/dcmjs.es.js"
for license in fflate/LICENSE dcmjs/LICENSE; do
  if [ -f "$here/node_modules/$license" ]; then cp "$here/node_modules/$license" "$site/vendor/${license%%/*}.LICENSE.txt"; fi
done
if compgen -G "$here/models/*.onnx" >/dev/null; then
  mkdir -p "$site/models"
  cp "$here"/models/*.onnx "$site/models/"
fi

# The files the service worker caches at install (models are cached on first
# use instead, so installing stays small), and a build id from their contents.
cd "$site"
files=$(find . -type f ! -name 'sw.js' ! -path './models/*' ! -name 'site-files.json' | sed 's|^\./||' | sort)
build_id=$(printf '%s\n' "$files" | xargs sha256sum | sha256sum | cut -c1-16)
node -e '
  const files = process.argv[1].split("\n").filter(Boolean);
  process.stdout.write(JSON.stringify({ build: process.argv[2], files }, null, 1) + "\n");
' "$files" "$build_id" > site-files.json
sed "s/__LUNGLENS_BUILD_ID__/$build_id/" "$here/web/sw.js" > sw.js

echo "build-web.sh: site in $site (build $build_id, $(printf '%s\n' "$files" | wc -l) files)"
