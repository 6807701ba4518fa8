"""LPIPS / DISTS fixtures (not run in CI): PyTorch references written from the papers and the official code's
structure (lpips.py v0.1, DISTS_pt.py), on full-size torchvision-layout trunks with deterministic hash weights
(the same generator as test/helpers/seeded-weights.ts, so no weights are committed) and the real v0.1 lin layers /
DISTS alpha-beta read from ../shared/data/params. Writes test/fixtures/backbones/lpips_dists.json with the scores
and the input gradients of the first image.

Run: python3 tools/lpips_dists_fixtures.py
"""
import json, math, os, sys
import numpy as np, torch, torch.nn.functional as F
sys.path.insert(0, os.path.dirname(__file__))
from backbone_fixtures import VGG16, AlexNet, SqueezeNet
from hashinit import seeded_uniform  # noqa: E402

PARAMS = os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'data', 'params')
OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'backbones', 'lpips_dists.json')
torch.set_grad_enabled(True)  # backbone_fixtures disables it at import


def seeded_values(seed, n, std):
    return ((2 * seeded_uniform(seed, n) - 1) * math.sqrt(3) * std).astype(np.float32)

@torch.no_grad()
def seed_module(m, seed):
    sd = m.state_dict()
    for k, name in enumerate(sorted(n for n in sd if not n.endswith('.filter'))):
        v = sd[name]; n = v.numel(); std = math.sqrt(2 / (n / v.shape[0])) if v.dim() > 1 else 0.05
        v.copy_(torch.from_numpy(seeded_values(seed + k, n, std)).view(v.shape))

def images(size):
    u0 = seeded_uniform(1, 3 * size * size); u1 = seeded_uniform(2, 3 * size * size)
    x0 = u0.astype(np.float32)
    x1 = np.clip(u0 + 0.2 * (2 * u1 - 1), 0, 1).astype(np.float32)
    return torch.from_numpy(x0).view(1, 3, size, size), torch.from_numpy(x1).view(1, 3, size, size)

def norm_t(x, eps=1e-10): return x / (torch.sqrt((x ** 2).sum(1, keepdim=True)) + eps)

def lpips(net, lins, x0, x1):  # x in [0,1] (normalize=True)
    shift = torch.tensor([-.030, -.088, -.188]).view(1, 3, 1, 1); scale = torch.tensor([.458, .448, .450]).view(1, 3, 1, 1)
    p = lambda x: ((2 * x - 1) - shift) / scale
    f0, f1 = net(p(x0)), net(p(x1))
    return sum(F.conv2d((norm_t(a) - norm_t(b)) ** 2, w).mean([2, 3], keepdim=True) for a, b, w in zip(f0, f1, lins)).view(-1)

def dists(vgg, alpha, beta, x, y):
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, -1, 1, 1); std = torch.tensor([0.229, 0.224, 0.225]).view(1, -1, 1, 1)
    fx = [x] + vgg((x - mean) / std); fy = [y] + vgg((y - mean) / std)
    chns = [3, 64, 128, 256, 512, 512]
    w = alpha.sum() + beta.sum(); A = torch.split(alpha / w, chns, 1); B = torch.split(beta / w, chns, 1)
    d1 = d2 = 0
    for k in range(6):
        xm = fx[k].mean([2, 3], keepdim=True); ym = fy[k].mean([2, 3], keepdim=True)
        S1 = (2 * xm * ym + 1e-6) / (xm ** 2 + ym ** 2 + 1e-6); d1 = d1 + (A[k] * S1).sum(1, keepdim=True)
        xv = ((fx[k] - xm) ** 2).mean([2, 3], keepdim=True); yv = ((fy[k] - ym) ** 2).mean([2, 3], keepdim=True)
        cov = (fx[k] * fy[k]).mean([2, 3], keepdim=True) - xm * ym
        S2 = (2 * cov + 1e-6) / (xv + yv + 1e-6); d2 = d2 + (B[k] * S2).sum(1, keepdim=True)
    return (1 - (d1 + d2)).view(-1)

if __name__ == '__main__':
    size = 64; out = {'size': size, 'seed': 10}
    x0, x1 = images(size)
    for name, build in [('alex', AlexNet), ('vgg', VGG16), ('squeeze', SqueezeNet)]:
        net = build().eval(); seed_module(net, 10)
        L = json.load(open(os.path.join(PARAMS, 'lpips_v0.1', f'{name}.json')))['layers']
        lins = [torch.tensor(l['data'], dtype=torch.float32).view(l['shape']) for l in L]
        a = x0.clone().requires_grad_(True)
        d = lpips(net, lins, a, x1); d.sum().backward()
        out[f'lpips_{name}'] = d.item()
        if name == 'alex': out['lpips_alex_grad'] = [float('%.7g' % v) for v in a.grad.flatten().tolist()]
        out[f'lpips_{name}_self'] = lpips(net, lins, x0, x0).item()
        print(name, d.item())
    vgg = VGG16(pool='l2').eval(); seed_module(vgg, 10)
    ab = json.load(open(os.path.join(PARAMS, 'dists', 'alpha_beta.json')))
    alpha = torch.tensor(ab['alpha']['data']).view(1, -1, 1, 1); beta = torch.tensor(ab['beta']['data']).view(1, -1, 1, 1)
    a = x0.clone().requires_grad_(True)
    d = dists(vgg, alpha, beta, a, x1); d.sum().backward()
    out['dists'] = d.item(); out['dists_grad'] = [float('%.7g' % v) for v in a.grad.flatten().tolist()]
    print('dists', d.item())
    json.dump(out, open(OUT, 'w'))
