"""PyTorch fixtures for engine composites (python3 tools/gen_engine_functional.py): F.interpolate (bilinear/bicubic,
align_corners both ways), F.adaptive_avg_pool2d, and the losses, on inputs from tools/hashinit.py.
Output: test/fixtures/engine/functional.json (float64 results)."""
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from hashinit import hash_tensor  # noqa: E402


def t(shape, seed, bound=1.0, offset=0.0):
    return torch.from_numpy(hash_tensor(shape, seed, bound, offset).astype('float64'))


def main():
    x = t((1, 2, 5, 7), 1)
    out = {'generator': 'tools/gen_engine_functional.py, torch %s' % torch.__version__, 'resize': [], 'adaptive': []}
    for size in [(8, 4), (3, 9), (10, 14)]:
        for mode in ['bilinear', 'bicubic']:
            for ac in [False, True]:
                y = F.interpolate(x, size=size, mode=mode, align_corners=ac)
                out['resize'].append({'size': size, 'mode': mode, 'align_corners': ac, 'y': y.numpy().ravel().tolist()})
    for size in [(3, 2), (2, 7), (5, 7), (4, 3)]:
        out['adaptive'].append({'size': size, 'y': F.adaptive_avg_pool2d(x, size).numpy().ravel().tolist()})
    p, q = t((4, 6), 2), t((4, 6), 3)
    x1, x2, yy = t((8,), 4), t((8,), 5), torch.sign(t((8,), 6))
    out['losses'] = {
        'mse': float(F.mse_loss(p, q)),
        'l1': float(F.l1_loss(p, q)),
        'smooth_l1': float(F.smooth_l1_loss(p, q, beta=0.5)),
        'margin_ranking': float(F.margin_ranking_loss(x1, x2, yy, margin=0.3)),
        'kl': float(F.kl_div(F.log_softmax(p, 1), F.log_softmax(q, 1), log_target=True, reduction='batchmean')),
        'infonce': float(F.cross_entropy(F.normalize(p, dim=1) @ F.normalize(q, dim=1).T / 0.1, torch.arange(4))),
    }
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'engine', 'functional.json')
    with open(path, 'w') as f:
        json.dump(out, f)
    print('wrote', path, os.path.getsize(path))


if __name__ == '__main__':
    main()
