#!/usr/bin/env bash
# Times two builds of lunglens on one folder, alternating them so that both
# see the same machine state: native CLI, WebAssembly with threads (first
# analysis after loading) and WebAssembly after warmUp(). Each checkout must
# be built (scripts/build.sh native wasm). Prints one line per run.
#
# Usage: benchmarks/before_after.sh BEFORE_CHECKOUT AFTER_CHECKOUT [FOLDER] [ROUNDS]
#   FOLDER defaults to ${LUNGLENS_DATA:-../shared/data}/ct/LIDC-IDRI-0002, ROUNDS to 3.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: benchmarks/before_after.sh BEFORE_CHECKOUT AFTER_CHECKOUT [FOLDER] [ROUNDS]" >&2
  exit 2
fi
before=$(cd "$1" && pwd)
after=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")/.." && pwd)
folder=$(cd "${3:-${LUNGLENS_DATA:-$here/../shared/data}/ct/LIDC-IDRI-0002}" && pwd)
rounds=${4:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Prints "<label> total ... decode ... segment ... rss_MiB ..." from the last JSON line on stdin.
summarise() {
  node -e 'const lines = require("fs").readFileSync(0, "utf8").trim().split("\n").filter((l) => l.startsWith("{"));
const r = JSON.parse(lines.pop());
console.log(process.argv[1].padEnd(26), "total", r.total_s.toFixed(2), "decode", r.decoding_s.toFixed(2),
  "segment", r.segmenting_s.toFixed(2), "rss_MiB", (r.peak_rss_bytes / 1048576).toFixed(0));' "$1"
}

for round in $(seq "$rounds"); do
  for side in before after; do
    root=$before
    [ "$side" = after ] && root=$after
    "$root/build/native/examples/cli/lunglens" analyze "$folder" --out "$out" --quiet --timing | summarise "$side native"
    (cd "$root" && node benchmarks/run_wasm_analysis.mjs --threads "$folder") | summarise "$side wasm-threads"
    if grep -q -- '--warm-up' "$root/benchmarks/run_wasm_analysis.mjs"; then
      (cd "$root" && node benchmarks/run_wasm_analysis.mjs --threads "$folder" --warm-up) | summarise "$side wasm after warm-up"
    fi
  done
done
