"""PyTorch side of bench/backbones.ts (a line-oriented server, so rounds can interleave with onnxruntime).
Reads JSON lines {"model", "batch", "size", "reps"} on stdin; replies {"ms": [per-run milliseconds]}.
Models are the reference modules of tools/backbone_fixtures.py at full size, eval mode, 2 threads, no grad.
"""
import json, os, sys, time
import torch
sys.path.insert(0, os.path.dirname(__file__))
from backbone_fixtures import FULL

torch.set_num_threads(int(os.environ.get('BENCH_THREADS', '2')))
models = {}
for line in sys.stdin:
    req = json.loads(line)
    name = req['model']
    if name not in models:
        models[name] = FULL[name]().eval()
    m = models[name]
    x = torch.rand(req['batch'], 3, req['size'], req['size'])
    ms = []
    with torch.inference_mode():
        m(x)  # warm-up
        for _ in range(req['reps']):
            t = time.perf_counter(); m(x); ms.append((time.perf_counter() - t) * 1000)
    print(json.dumps({'ms': ms}), flush=True)
