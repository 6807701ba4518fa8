"""PyTorch CPU images/s of the full-size QFM-IQM and MFENet references (tools/gen_nr_models_parity.py), batch 1,
224x224, eval mode, torch.inference_mode, `threads` intra-op threads. Prints one JSON line. Used by bench/nr-models.ts."""
import json
import sys
import time

import torch

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from gen_nr_models_parity import Mfenet, Qfm  # noqa: E402

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
torch.set_num_threads(threads)
torch.manual_seed(0)
models = {
    'qfm-iqm': Qfm(384, 12, 6, 224, 16, 6, 4),
    'mfenet': Mfenet([64, 128, 320, 512], [3, 3, 12, 3], (32, 64), 2, [3, 4, 6, 3], 64, 256, 25, bottleneck=True),
}
out = {}
x = torch.randn(1, 3, 224, 224)
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
