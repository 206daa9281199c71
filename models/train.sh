#!/usr/bin/env bash
# Train, validate and export the lunglens lung and lesion models from
# ${LUNGLENS_DATA:-../shared/data}/training/covid-ct-seg-png256 with fixed
# seeds, then write the metrics and the model cards. Both models train at
# once under nice, the lung model on one CPU thread and the lesion model on
# two (the thread counts of the shipped weights: they change the rounding).
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=/usr/bin/python3
if ! "$PYTHON" -c "import torch, onnx, numpy, PIL" 2>/dev/null; then
  packages=(python3-torch python3-onnx python3-numpy python3-pil)
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y "${packages[@]}"; else sudo apt-get install -y "${packages[@]}"; fi
fi

nice -n 10 "$PYTHON" train.py --task lung --out lung --widths 8,16,32,64 \
  --iterations "${LUNG_ITERATIONS:-500}" --seed 20201 > lung.stdout 2>&1 &
lung_pid=$!
nice -n 10 "$PYTHON" train.py --task lesion --out lesion --widths 12,24,48,96 \
  --iterations "${LESION_ITERATIONS:-2000}" --recall-weight 0.7 --threads 2 --seed 20202 > lesion.stdout 2>&1 &
lesion_pid=$!
wait "$lung_pid"
wait "$lesion_pid"

nice -n 10 "$PYTHON" evaluate_pipeline.py --lung lung --lesion lesion
"$PYTHON" count_flops.py lung lesion

# The transfer check runs the real pipeline, so it needs the WebAssembly core.
if [ -f ../build/wasm-threads/wasm/lunglens-threads.js ]; then
  nice -n 10 node measure_transfer.mjs
else
  echo "train.sh: build/wasm-threads not built, skipping the transfer check (scripts/build.sh wasm)" >&2
fi
# The diffuse GGO probe loads and segments a real series with the native CLI.
if [ -x ../build/native/examples/cli/lunglens ]; then
  nice -n 10 "$PYTHON" probe_diffuse_ggo.py
else
  echo "train.sh: build/native not built, skipping the diffuse GGO probe (scripts/build.sh native)" >&2
fi
"$PYTHON" write_cards.py
