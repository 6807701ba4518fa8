"""PyTorch CPU images/s of the full-size QFM-IQM and MFENet references (tools/gen_nr_models_parity.py), batch 1,
224x224, eval mode, torch.inference_mode, `threads` intra-op threads. Prints one JSON line; with --serve, a line
server for the interleaved rounds of bench/nr-models.ts, which also times batches of crops (one image = one batch of
its `eval.crops` 224 crops in the papers' test protocol)."""
import json
import sys
import time

import torch

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from gen_nr_models_parity import Mfenet, Qfm  # noqa: E402

args = [a for a in sys.argv[1:] if not a.startswith('--')]
threads = int(args[0]) if len(args) > 0 else 2
runs = int(args[1]) if len(args) > 1 else 10
torch.set_num_threads(threads)
torch.manual_seed(0)
models = {
    'qfm-iqm': Qfm(384, 12, 6, 224, 16, 6, 4),
    'mfenet': Mfenet([64, 128, 320, 512], [3, 3, 12, 3], (32, 64), 2, [3, 4, 6, 3], 64, 256, 25, bottleneck=True),
}
x = torch.randn(1, 3, 224, 224)
for m in models.values():
    m.eval()

if '--serve' in sys.argv:
    # line server for interleaved rounds: {"model", "runs", "batch" (default 1)} -> {"ms": [per-run milliseconds]}
    # on torch.randn(batch, 3, 224, 224) (2 warm-ups per (model, batch))
    warmed = set()
    inputs = {1: x}
    for line in sys.stdin:
        req = json.loads(line)
        m = models[req['model']]
        batch = int(req.get('batch', 1))
        if batch not in inputs:
            inputs[batch] = torch.randn(batch, 3, 224, 224)
        xb = inputs[batch]
        with torch.inference_mode():
            if (req['model'], batch) not in warmed:
                for _ in range(2):
                    m(xb)
                warmed.add((req['model'], batch))
            ms = []
            for _ in range(req['runs']):
                t = time.perf_counter(); m(xb); ms.append((time.perf_counter() - t) * 1000)
        print(json.dumps({'ms': ms, 'torch': torch.__version__}), flush=True)
    sys.exit(0)

out = {}
for name, m in models.items():
    m.eval()
    with torch.inference_mode():
        for _ in range(2):
            m(x)
        t = time.perf_counter()
        for _ in range(runs):
            m(x)
        out[name] = runs / (time.perf_counter() - t)
print(json.dumps({'threads': threads, 'torch': torch.__version__, 'ips': out}))
