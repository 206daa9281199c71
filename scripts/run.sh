#!/usr/bin/env bash
# The main job: set up (if needed), build (if needed), analyse the built-in
# synthetic chest phantom or the DICOM files and folders given, then serve
# the web app on this machine and print its address.
#
# The analysis writes report.json, report.html, masks.nii and key images
# (PNG) into lunglens-out/ (or $LUNGLENS_OUT). The web app is served from
# build/site on 127.0.0.1 port 8080 ($LUNGLENS_PORT; 0 picks a free port)
# until Ctrl-C; LUNGLENS_SERVE=0 skips serving (batch use).
#
# Usage: scripts/run.sh [PATH...]
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
out=${LUNGLENS_OUT:-$PWD/lunglens-out}
serve=${LUNGLENS_SERVE:-1}
port=${LUNGLENS_PORT:-8080}

"$here/scripts/setup.sh"
if [ "$serve" = 0 ]; then
  "$here/scripts/build.sh" native >/dev/null
else
  "$here/scripts/build.sh" native wasm web >/dev/null
fi

cli="$here/build/native/examples/cli/lunglens"
status=0
if [ $# -eq 0 ]; then
  echo "lunglens: analysing the built-in synthetic chest phantom" >&2
  "$cli" analyze --sample --out "$out" || status=$?
else
  "$cli" analyze "$@" --out "$out" || status=$?
fi

if [ "$serve" = 0 ]; then exit "$status"; fi
if [ "$status" -ne 0 ]; then
  echo "lunglens: the analysis failed (exit status $status); serving the web app anyway" >&2
fi
echo "lunglens: serving the web app; open the address below in a browser (Ctrl-C stops it)" >&2
exec node "$here/web/serve.mjs" --root "$here/build/site" --port "$port"
