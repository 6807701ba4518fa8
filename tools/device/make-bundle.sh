#!/usr/bin/env bash
# Builds .devbundle/ (git-ignored) for a lent GPU machine that has no Node: the node binary, the runtime node_modules
# (Linux x64 only; no onnxruntime-web, TypeScript or esbuild), dist/, pristine photos shrunk to 336 px (JPEG q95), the
# pseudo-MOS table, and esbuild bundles of bench/webgpu.ts. It must fit the device tool's 64 MiB working-tree limit
# together with the tracked files (about 61 MiB in all on 2026-11-23). Run from the repository root after `npm run build`:
#   tools/device/make-bundle.sh [shared-data-dir] [n-photos]
# then on the device (carry .gl, .devbundle and bench/_webgpu.bundle.mjs):
#   bash tools/device/setup.sh && bash tools/device/synth.sh && bash tools/device/nr-train.sh
set -euo pipefail
SHARED=${1:-../shared/data}
N=${2:-40}
mkdir -p .devbundle/pristine
strip -o /tmp/node.stripped "$(command -v node)"
xz -T0 -9e -c /tmp/node.stripped > .devbundle/node.xz
tar cf - --exclude='node_modules/onnxruntime-web' --exclude='node_modules/typescript' --exclude='node_modules/@typescript' \
  --exclude='node_modules/esbuild' --exclude='node_modules/@esbuild' --exclude='node_modules/tsx' --exclude='node_modules/@types' \
  --exclude='node_modules/ssim.js' --exclude='node_modules/@blazediff' --exclude='node_modules/onnxruntime-node/bin/napi-v*/darwin' \
  --exclude='node_modules/onnxruntime-node/bin/napi-v*/win32' --exclude='node_modules/onnxruntime-node/bin/napi-v*/linux/arm64' \
  --exclude='*.map' --exclude='*.d.ts' --exclude='*.md' node_modules | xz -T0 -9e > .devbundle/nm.tar.xz
tar cf - --exclude='*.map' dist | xz -T0 -6 > .devbundle/dist.tar.xz
cp "$SHARED/labels/kadid10k_mos_by_type_level.csv" .devbundle/
python3 - "$SHARED/pristine/bsd100" "$N" <<'PY'
import os, sys
from PIL import Image
src, n = sys.argv[1], int(sys.argv[2])
for f in sorted(os.listdir(src))[:n]:
    im = Image.open(os.path.join(src, f)).convert('RGB')
    s = 336 / max(im.size)
    im.resize((round(im.size[0] * s), round(im.size[1] * s)), Image.LANCZOS).save(f'.devbundle/pristine/{f.rsplit(".", 1)[0]}.jpg', quality=95, subsampling=0)
PY
npx esbuild bench/webgpu.ts --bundle --platform=node --format=esm --packages=external --outfile=bench/_webgpu.bundle.mjs
du -sh .devbundle
