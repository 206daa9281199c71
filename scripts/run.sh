#!/usr/bin/env bash
# The main job: set up (if needed), build (if needed), then analyse the
# built-in synthetic chest phantom, or the DICOM files and folders given.
# Writes report.json, report.html and masks.nii into lunglens-out/ (or
# $LUNGLENS_OUT).
#
# Usage: scripts/run.sh [PATH...]
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
out=${LUNGLENS_OUT:-$PWD/lunglens-out}

"$here/scripts/setup.sh"
"$here/scripts/build.sh" native >/dev/null

cli="$here/build/native/examples/cli/lunglens"
if [ $# -eq 0 ]; then
  echo "lunglens: analysing the built-in synthetic chest phantom" >&2
  exec "$cli" analyze --sample --out "$out"
fi
exec "$cli" analyze "$@" --out "$out"
