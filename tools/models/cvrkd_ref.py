"""PyTorch reference of the CVRKD-IQA network, written from models.md §2.3 (not the official file), for parity.

Tiny config (ResNet-18 backbone, 32-px patches, m = 2, 4 reducer channels, width 8, depth 2, 2x2 grid), formula
weights shared with src/models/common.ts, eval mode. Records predictions, inner difference-encoder features and
the gradients of the student loss L1(pred, mos) + sum_i MSE(f_i, c_i). Writes test/fixtures/models/cvrkd_parity.json.
Usage: python3 tools/models/cvrkd_ref.py
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def formula_init(module):
    full = module.state_dict()
    names = sorted(n for n in full if not n.endswith('num_batches_tracked'))
    sd = dict(full)
    for k, n in enumerate(names):
        shape = list(full[n].shape)
        ln = int(np.prod(shape)) if shape else 1
        i = np.arange(ln, dtype=np.float64)
        s = np.sin(0.37 * i + 1.7 * k + 0.3)
        if n.endswith('running_var'):
            v = 1 + 0.5 * np.abs(s)
        elif len(shape) == 1 and n.endswith('.weight'):
            v = 1 + 0.2 * s
        elif len(shape) >= 2:
            v = 0.5 / math.sqrt(int(np.prod(shape[1:]))) * s
        else:
            v = 0.2 * s
        sd[n] = torch.tensor(v.reshape(shape))
    module.load_state_dict(sd)
    return names


class PreNormResidual(nn.Module):
    def __init__(self, dim, fn):
        super().__init__()
        self.fn, self.norm = fn, nn.LayerNorm(dim)

    def forward(self, x):
        return self.fn(self.norm(x)) + x


def ff(d, dense):
    return nn.Sequential(dense(d, d * 4), nn.GELU(), nn.Dropout(0.0), dense(d * 4, d), nn.Dropout(0.0))


class Flat(nn.Module):
    def forward(self, x):  # 'b c h w -> b (h w) c' (patch 1)
        return x.flatten(2).transpose(1, 2)


class Mixer(nn.Module):
    def __init__(self, channels, tokens, dim, depth):
        super().__init__()
        c1 = lambda a, b: nn.Conv1d(a, b, kernel_size=1)
        self.mlp = nn.Sequential(Flat(), nn.Linear(channels, dim),
                                 *[nn.Sequential(PreNormResidual(dim, ff(tokens, c1)), PreNormResidual(dim, ff(dim, nn.Linear))) for _ in range(depth)],
                                 nn.LayerNorm(dim))

    def forward(self, x):
        inner = []
        for i, m in enumerate(self.mlp):
            x = m(x)
            if 2 <= i < len(self.mlp) - 1:
                inner.append(x)
        return x.mean(1), inner


class Regressor(nn.Module):
    def __init__(self, inf, hid):
        super().__init__()
        self.l1, self.relu1, self.drop1, self.bn1, self.l2 = nn.Linear(inf, hid), nn.PReLU(), nn.Dropout(0.5), nn.BatchNorm1d(hid), nn.Linear(hid, 1)

    def forward(self, x):
        return self.l2(self.l1(x)).squeeze(-1)  # no activation in the official forward


class BasicBlock(nn.Module):
    # torchvision's BasicBlock layout and names (torchvision itself is not importable here)
    def __init__(self, cin, c, stride):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(cin, c, 3, stride, 1, bias=False), nn.BatchNorm2d(c)
        self.conv2, self.bn2 = nn.Conv2d(c, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c)
        self.downsample = nn.Sequential(nn.Conv2d(cin, c, 1, stride, bias=False), nn.BatchNorm2d(c)) if stride != 1 or cin != c else None

    def forward(self, x):
        h = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(h + (self.downsample(x) if self.downsample is not None else x))


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64)
        self.relu, self.maxpool = nn.ReLU(), nn.MaxPool2d(3, 2, 1)
        cin = 64
        for i, c in enumerate([64, 128, 256, 512]):
            st = 1 if i == 0 else 2
            setattr(self, f'layer{i+1}', nn.Sequential(BasicBlock(cin, c, st), BasicBlock(c, c, 1)))
            cin = c

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        out = []
        for l in (self.layer1, self.layer2, self.layer3, self.layer4):
            x = l(x)
            out.append(x)
        return out


class Net(nn.Module):
    def __init__(self, m, lda, dim, depth, grid):
        super().__init__()
        self.feature_extractor = Backbone()
        for p in self.feature_extractor.parameters():
            p.requires_grad = False
        for i, c in enumerate([64, 128, 256, 512]):
            setattr(self, f'lda{i+1}_process', nn.Sequential(nn.Conv2d(c, lda, 1), nn.AdaptiveAvgPool2d((grid, grid))))
        self.MLP_encoder_diff = Mixer(m * lda * 4, grid * grid, dim, depth * 2)
        self.MLP_encoder_lq = Mixer(m * lda * 4, grid * grid, dim, depth)
        self.regressor = Regressor(2 * dim, dim)
        self.grid = grid

    def forward(self, lq, ref):
        b, p, c, h, w = lq.shape
        fl = self.feature_extractor(lq.reshape(b * p, c, h, w))
        fr = self.feature_extractor(ref.reshape(b * p, c, h, w))
        lqs, diffs = [], []
        for i in range(4):
            red = getattr(self, f'lda{i+1}_process')
            a = red(fl[i]).reshape(b, -1, self.grid, self.grid)
            r = red(fr[i]).reshape(b, -1, self.grid, self.grid)
            lqs.append(a)
            diffs.append(r - a)
        elq, _ = self.MLP_encoder_lq(torch.cat(lqs, 1))
        ediff, inner = self.MLP_encoder_diff(torch.cat(diffs, 1))
        return self.regressor(torch.cat([elq, ediff], 1)), inner


def picks(g, n=6):
    flat = g.reshape(-1)
    idx = [int(i * flat.numel() / n) for i in range(n)]
    return {'sum': float(flat.sum()), 'l2': float(flat.norm()), 'idx': idx, 'val': [float(flat[i]) for i in idx]}


def main():
    cfg = {'backbone': 'resnet18', 'patches': 2, 'patchSize': 32, 'ldaChannel': 4, 'dim': 8, 'depth': 2, 'grid': 2}
    net = Net(cfg['patches'], cfg['ldaChannel'], cfg['dim'], cfg['depth'], cfg['grid'])
    names = formula_init(net)
    net.eval()
    rng = np.random.default_rng(3)
    shape = (2, cfg['patches'], 3, cfg['patchSize'], cfg['patchSize'])
    lq = torch.tensor(np.round(rng.standard_normal(shape), 3))
    ref = torch.tensor(np.round(rng.standard_normal(shape), 3))
    mos = torch.tensor([0.2, -0.4])
    pred, inner = net(lq, ref)
    consts = [0.05 * torch.cos(torch.arange(t.numel(), dtype=torch.float64)).reshape(t.shape) for t in inner]
    loss = F.l1_loss(pred, mos) + sum(F.mse_loss(f, c) for f, c in zip(inner, consts))
    loss.backward()
    out = {
        'config': cfg,
        'names': names,
        'lq': {'shape': list(shape), 'data': lq.reshape(-1).tolist()},
        'ref': {'shape': list(shape), 'data': ref.reshape(-1).tolist()},
        'mos': mos.tolist(),
        'pred': pred.tolist(),
        'inner': [picks(t.detach(), 16) for t in inner],
        'loss': float(loss.detach()),
        'grads': {n: picks(p.grad) for n, p in net.named_parameters() if p.grad is not None},
    }
    path = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'models', 'cvrkd_parity.json')
    with open(path, 'w') as fh:
        json.dump(out, fh)
    print('wrote', path, pred.tolist(), float(loss))


if __name__ == '__main__':
    main()
