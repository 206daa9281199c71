#!/usr/bin/env bash
# Assembles the static web app into build/site/, the folder to serve. It
# copies the page and its modules from web/, both WebAssembly builds, the
# vendor files from node_modules (fflate, dcmjs and the WebAssembly build of
# ONNX Runtime Web) and the neural engine's ONNX models with their model
# cards when present. It writes the file list the service worker caches (site-files.json)
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
# ONNX Runtime Web 1.30. The analysis worker loads ort.wasm.min.js with
# importScripts. It imports ort-wasm-simd-threaded.mjs, which fetches
# ort-wasm-simd-threaded.wasm, and that build also runs on one thread. Where
# the browser offers a hardware WebGPU adapter the worker loads
# ort.webgpu.min.js instead, with its asyncify build (27 MB of WebAssembly).
# The jsep and jspi builds are left out.
ort_dist="$here/node_modules/onnxruntime-web/dist"
ort_webgpu_files=(ort.webgpu.min.js ort-wasm-simd-threaded.asyncify.mjs ort-wasm-simd-threaded.asyncify.wasm)
ort_files=(ort.wasm.min.js ort-wasm-simd-threaded.mjs ort-wasm-simd-threaded.wasm "${ort_webgpu_files[@]}")
for file in "${ort_files[@]}"; do required+=("$ort_dist/$file"); done
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

mkdir -p "$site/vendor/onnxruntime-web"
for file in "${ort_files[@]}"; do cp "$ort_dist/$file" "$site/vendor/onnxruntime-web/"; done
# The npm package ships no LICENSE file; its bundles state "Copyright (c)
# Microsoft Corporation. All rights reserved. Licensed under the MIT License."
node -e '
  const pkg = require(process.argv[1]);
  if (pkg.license !== "MIT") throw new Error(`onnxruntime-web ${pkg.version} is licensed ${pkg.license}, not MIT; update build-web.sh`);
  process.stdout.write(`ONNX Runtime Web ${pkg.version} (https://github.com/microsoft/onnxruntime)

MIT License

Copyright (c) Microsoft Corporation

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`);
' "$here/node_modules/onnxruntime-web/package.json" > "$site/vendor/onnxruntime-web/LICENSE.txt"

# The neural engine's models with their cards (the cards state the weights'
# licence). Without them the app runs the classical engine only.
for model in lung lesion; do
  if [ -f "$here/models/$model/$model.onnx" ]; then
    mkdir -p "$site/models"
    cp "$here/models/$model/$model.onnx" "$site/models/$model.onnx"
    cp "$here/models/$model/README.md" "$site/models/$model.README.md"
  else
    echo "build-web.sh: models/$model/$model.onnx not found; the site will run the classical engine only" >&2
  fi
done

# The files the service worker caches at install, the models included. On a
# first visit the analysis worker can start before the service worker controls
# the page, so caching the models on first use could miss them. The WebGPU
# runtime is left out of the install, because most machines never use its
# 27 MB. The service worker caches it when a page it controls first loads it.
# The build id is a hash of the contents of all files and of the service worker's source.
cd "$site"
all_files=$(find . -type f ! -name 'sw.js' ! -name 'site-files.json' | sed 's|^\./||' | sort)
on_use=$(printf 'vendor/onnxruntime-web/%s\n' "${ort_webgpu_files[@]}" | sort)
files=$(comm -23 <(printf '%s\n' "$all_files") <(printf '%s\n' "$on_use"))
build_id=$( (printf '%s\n' "$all_files" | xargs sha256sum; sha256sum < "$here/web/sw.js") | sha256sum | cut -c1-16)
node -e '
  const list = (text) => text.split("\n").filter(Boolean);
  const manifest = { build: process.argv[3], files: list(process.argv[1]), cachedOnUse: list(process.argv[2]) };
  process.stdout.write(JSON.stringify(manifest, null, 1) + "\n");
' "$files" "$on_use" "$build_id" > site-files.json
# The service worker caches a file on use only when its SHA-256 matches this
# build, so a server already on a newer build cannot mix versions in the cache.
on_use_json=$(printf '%s\n' "$on_use" | xargs sha256sum | node -e '
  const lines = require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean);
  process.stdout.write(JSON.stringify(Object.fromEntries(lines.map((line) => line.split(/ +/).reverse()))));
')
sed -e "s/__LUNGLENS_BUILD_ID__/$build_id/" -e "s|__LUNGLENS_CACHED_ON_USE__|$on_use_json|" "$here/web/sw.js" > sw.js

echo "build-web.sh: site in $site (build $build_id, $(printf '%s\n' "$all_files" | wc -l) files)"
