#!/usr/bin/env bash
# Full-size QFM-IQM and MFENet training on WebGPU, both at once (the GPU is mostly idle: host <-> GPU copies of the
# parameters and Adam moments bound each step), strict provider, time-boxed by the configs' train.maxSeconds.
set -o pipefail
OUT=${OUT:-runs}
stamp() { while IFS= read -r l; do echo "$(date +%T) $l"; done; }
(timeout 520 node dist/cli/main.js train configs/qfm-iqm-webgpu.json --ep-strict 2>&1 | grep -v 'W:onnxruntime' | stamp > "$OUT/qfm.txt") &
(timeout 520 node dist/cli/main.js train configs/mfenet-webgpu.json --ep-strict 2>&1 | grep -v 'W:onnxruntime' | stamp > "$OUT/mfenet.txt") &
wait
tail -3 "$OUT/qfm.txt" "$OUT/mfenet.txt"
