"""PyTorch reference of the YOTO body, written from models.md §1.5 (not the official file), for parity fixtures.

Runs the body on random encoder features (the encoder is the engine's ResNet, tested elsewhere), with the
deterministic formula weights of src/models/common.ts (formulaStateDict), in FR, NR and legacy-FR modes, and the
gradients of an MSE loss (eval mode). Writes test/fixtures/models/yoto_parity.json.
Usage: python3 tools/models/yoto_ref.py
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
    names = sorted(module.state_dict().keys())
    sd = {}
    for k, n in enumerate(names):
        t = module.state_dict()[n]
        shape = list(t.shape)
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


def gate(d):
    return nn.Sequential(nn.Linear(d, 1), nn.GELU())


class CTR(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.c_q, self.c_k, self.c_v = nn.Linear(n, n), nn.Linear(n, n), nn.Linear(n, n)
        self.scale = gate(n)
        self.proj_drop = nn.Dropout(0.1)

    def forward(self, x):
        B, C, N = x.shape
        a = torch.softmax(self.c_q(x) @ self.c_k(x).transpose(-2, -1) * N ** -0.5, -1) @ self.c_v(x)
        a = self.proj_drop(a.transpose(1, 2).reshape(B, C, N))  # the official row-major re-read
        return a * self.scale(x) + x + x


def unfold_windows(t, hw, k):
    # tokens [B, hw*hw, C] -> F.unfold windows [B, p, k*k, C]
    B, N, C = t.shape
    u = F.unfold(t.transpose(1, 2).reshape(B, C, hw, hw), kernel_size=k, stride=k)  # B, C*k*k, p
    return u.reshape(B, C, k * k, -1).permute(0, 3, 2, 1)


def fold_windows(w, hw, k):
    B, p, n, C = w.shape
    u = w.permute(0, 3, 2, 1).reshape(B, C * k * k, p)
    return F.fold(u, output_size=hw, kernel_size=k, stride=k).reshape(B, C, hw * hw).transpose(1, 2)


class MSSA(nn.Module):
    def __init__(self, d, hw, patchify):
        super().__init__()
        self.c_q1, self.c_k1, self.c_v1 = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.proj_drop1 = nn.Dropout(0.1)
        if patchify:
            self.c_q2, self.c_k2, self.c_v2 = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
            self.proj_drop2 = nn.Dropout(0.1)
        self.scale1, self.scale2 = gate(d), gate(d)
        self.d, self.hw, self.p = d, hw, patchify

    def forward(self, x, y):
        f = self.d ** -0.5
        xg = torch.softmax(self.c_q1(y) @ self.c_k1(x).transpose(-2, -1) * f, -1) @ self.c_v1(x)
        x = self.scale1(x) * self.proj_drop1(xg) + x
        if self.p:
            k = self.hw // 2
            xw, yw = unfold_windows(x, self.hw, k), unfold_windows(y, self.hw, k)
            xl = torch.softmax(self.c_q2(yw) @ self.c_k2(xw).transpose(-2, -1) * f, -1) @ self.c_v2(xw)
            xl = self.proj_drop2(fold_windows(xl, self.hw, k))
            x = self.scale2(x) * xl + x
        return x


class CSA(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.c_q, self.c_k, self.c_v = nn.Linear(d, d), nn.Linear(d, d), nn.Linear(d, d)
        self.scale = gate(d)
        self.proj_drop = nn.Dropout(0.1)
        self.d = d

    def forward(self, lo, hi, lohw, hihw, grid):
        base = hihw // grid
        rate = lohw // hihw * base
        lw, hw_ = unfold_windows(lo, lohw, rate), unfold_windows(hi, hihw, base)
        o = torch.softmax(self.c_q(lw) @ self.c_k(hw_).transpose(-2, -1) * self.d ** -0.5, -1) @ self.c_v(hw_)
        o = self.proj_drop(o) * self.scale(lw) + lw
        return fold_windows(o, lohw, rate)


class Body(nn.Module):
    def __init__(self, channels, dim, crop):
        super().__init__()
        self.hws = [crop // s for s in (4, 8, 16, 32)]
        for i, c in enumerate(channels):
            setattr(self, f'emb{i+1}', nn.Conv2d(c, dim, 1))
            setattr(self, f'CA{i+1}', CTR(self.hws[i] ** 2))
            setattr(self, f'seg_embd{i+1}', nn.Embedding(2, dim))
        for i in range(1, 5):
            setattr(self, f'CSA{i}{i}', MSSA(dim, self.hws[i - 1], i < 4))
            for j in range(i + 1, 5):
                setattr(self, f'CSA{i}{j}', CSA(dim))
        for k in ['11', '22', '33', '44', '12', '13', '14', '23', '24', '34']:
            setattr(self, f'ln{k}', nn.LayerNorm(dim))
        h = dim // 2
        self.fc_score = nn.Sequential(nn.Linear(dim, h), nn.ReLU(), nn.Dropout(0.1), nn.Linear(h, 1), nn.ReLU())
        self.fc_weight = nn.Sequential(nn.Linear(dim, h), nn.ReLU(), nn.Dropout(0.1), nn.Linear(h, 1), nn.Sigmoid())

    def common(self, feats):
        out = []
        for i, f in enumerate(feats):
            B = f.shape[0]
            e = getattr(self, f'emb{i+1}')(f).flatten(2)
            out.append(getattr(self, f'CA{i+1}')(e).transpose(1, 2))
        return out

    def forward(self, fx, fy, mode, ref_row=None, tokens=False):
        l = self.common(fx)
        ly = self.common(fy) if mode == 'FR' else self.common(fx)
        B = l[0].shape[0]
        row = (1 if mode == 'FR' else 0) if ref_row is None else ref_row
        outs = {}
        for i in range(4):
            emb = getattr(self, f'seg_embd{i+1}')
            n = l[i].shape[1]
            x = l[i] + emb(torch.zeros(B, n).long())
            y = ly[i] + emb(torch.full((B, n), row).long())
            outs[f'{i+1}{i+1}'] = getattr(self, f'CSA{i+1}{i+1}')(x, y)
        for i in range(1, 5):
            for j in range(i + 1, 5):
                outs[f'{i}{j}'] = getattr(self, f'CSA{i}{j}')(l[i - 1], l[j - 1], self.hws[i - 1], self.hws[j - 1], self.hws[3])
        n = {k: getattr(self, f'ln{k}')(v) for k, v in outs.items()}
        out = torch.cat([(n['11'] + n['12'] + n['13'] + n['14']) / 4, (n['22'] + n['23'] + n['24']) / 3, (n['33'] + n['34']) / 2, n['44']], 1)
        if tokens:
            return out
        s, w = self.fc_score(out), self.fc_weight(out)
        return (torch.sum(s * w, 1) / torch.sum(w, 1)).reshape(B)


def picks(g):
    flat = g.reshape(-1)
    idx = [int(i * flat.numel() / 6) for i in range(6)]
    return {'sum': float(flat.sum()), 'l2': float(flat.norm()), 'idx': idx, 'val': [float(flat[i]) for i in idx]}


def main():
    torch.manual_seed(0)
    channels, dim, crop, B = [4, 8, 8, 8], 16, 64, 2
    net = Body(channels, dim, crop)
    formula_init(net)
    net.eval()
    rng = np.random.default_rng(7)
    hws = [crop // s for s in (4, 8, 16, 32)]
    fx = [torch.tensor(np.round(rng.standard_normal((B, c, h, h)), 3)) for c, h in zip(channels, hws)]
    fy = [torch.tensor(np.round(rng.standard_normal((B, c, h, h)), 3)) for c, h in zip(channels, hws)]
    target = torch.tensor([0.3, 0.7])
    with torch.no_grad():
        fr = net(fx, fy, 'FR')
        nr = net(fx, None, 'NR')
        legacy = net(fx, fy, 'FR', ref_row=0)
        tok = {m: net(fx, fy, m, tokens=True).reshape(-1) for m in ('FR', 'NR')}
    tidx = [int(i * tok['FR'].numel() / 64) for i in range(64)]
    loss = {}
    grads = {}
    for mode in ('FR', 'NR'):
        net.zero_grad()
        pred = net(fx, fy if mode == 'FR' else None, mode)
        l = F.mse_loss(pred, target)
        l.backward()
        loss[mode] = float(l.detach())
        grads[mode] = {n: picks(p.grad) for n, p in net.named_parameters() if p.grad is not None}
    out = {
        'config': {'channels': channels, 'dim': dim, 'crop': crop, 'batch': B},
        'names': sorted(net.state_dict().keys()),
        'fx': [{'shape': list(t.shape), 'data': t.reshape(-1).tolist()} for t in fx],
        'fy': [{'shape': list(t.shape), 'data': t.reshape(-1).tolist()} for t in fy],
        'target': target.tolist(),
        'score': {'FR': fr.tolist(), 'NR': nr.tolist(), 'legacyFR': legacy.tolist()},
        'tokens': {'idx': tidx, 'FR': [float(tok['FR'][i]) for i in tidx], 'NR': [float(tok['NR'][i]) for i in tidx]},
        'loss': loss,
        'grads': grads,
    }
    path = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'models', 'yoto_parity.json')
    with open(path, 'w') as fh:
        json.dump(out, fh)
    print('wrote', path, fr.tolist(), nr.tolist())


if __name__ == '__main__':
    main()
