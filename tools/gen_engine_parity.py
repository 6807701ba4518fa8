"""PyTorch parity fixtures for the engine (run by hand: python3 tools/gen_engine_parity.py).

ResNet-18 (torchvision layout, written out here) and a timm-style ViT block, weights from tools/hashinit.py,
computed in float64 on 2x3x64x64 (at 32x32 the last BN sees 2 values per channel: ill-conditioned in fp32): train-mode forward, MSE loss, every parameter gradient, the Adam(lr=1e-3) update and the new
BatchNorm running statistics, plus the eval-mode forward. Large tensors are stored as summaries (norm, 16
Rademacher projections, 8 samples). Output: test/fixtures/engine/parity.json.
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from hashinit import hash_tensor, summary  # noqa: E402

torch.set_default_dtype(torch.float64)


class BasicBlock(nn.Module):
    def __init__(self, cin, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or cin != planes:
            self.downsample = nn.Sequential(nn.Conv2d(cin, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        h = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(h + (self.downsample(x) if self.downsample is not None else x))


class ResNet18(nn.Module):
    def __init__(self, num_classes):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        cin = 64
        for li, planes in enumerate([64, 128, 256, 512]):
            blocks = []
            for i in range(2):
                blocks.append(BasicBlock(cin, planes, 2 if (i == 0 and li > 0) else 1))
                cin = planes
            setattr(self, f'layer{li + 1}', nn.Sequential(*blocks))
        self.fc = nn.Linear(512, num_classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 3, 2, 1)
        for li in range(4):
            x = getattr(self, f'layer{li + 1}')(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class Mlp(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.fc1 = nn.Linear(d, h)
        self.fc2 = nn.Linear(h, d)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        att = (q @ k.transpose(-2, -1) * (c // self.heads) ** -0.5).softmax(-1)
        return self.proj((att @ v).transpose(1, 2).reshape(b, n, c))


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(d, eps=1e-6)
        self.attn = Attention(d, heads)
        self.norm2 = nn.LayerNorm(d, eps=1e-6)
        self.mlp = Mlp(d, 4 * d)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


def init(model):
    """Weights from the hash, seed = 1 + index in state-dict order; BN/LN weight 1 +- 0.1, biases +- 0.1.
    Returns name -> [seed, bound, offset] so the TypeScript test rebuilds the same values."""
    spec = {}
    with torch.no_grad():
        for k, (name, t) in enumerate(model.state_dict().items()):
            if 'running' in name or 'num_batches' in name:
                continue
            if name.endswith('weight') and t.dim() > 1:
                fan_in = t[0].numel()
                v = hash_tensor(tuple(t.shape), k + 1, fan_in ** -0.5)
            elif name.endswith('weight'):
                v = hash_tensor(tuple(t.shape), k + 1, 0.1, 1.0)
            else:
                v = hash_tensor(tuple(t.shape), k + 1, 0.1)
            spec[name] = [k + 1, fan_in ** -0.5 if (name.endswith('weight') and t.dim() > 1) else 0.1,
                          1.0 if (name.endswith('weight') and t.dim() == 1) else 0.0]
            t.copy_(torch.from_numpy(v.astype('float64')))
    return spec


def case(model, x_shape, out_shape):
    spec = init(model)
    x = torch.from_numpy(hash_tensor(x_shape, 1000, 1.0).astype('float64'))
    target = torch.from_numpy(hash_tensor(out_shape, 1001, 1.0).astype('float64'))
    model.eval()
    with torch.no_grad():
        y_eval = model(x)
    model.train()
    p0 = {n: p.detach().clone() for n, p in model.named_parameters()}
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    y = model(x)
    loss = F.mse_loss(y, target)
    opt.zero_grad()
    loss.backward()
    grads = {n: p.grad.detach().clone() for n, p in model.named_parameters()}
    opt.step()
    params = {}
    for k, (n, p) in enumerate(model.named_parameters()):
        params[n] = {
            'shape': list(p.shape),
            'init': spec[n],
            'grad': summary(grads[n].numpy(), 100 + k),
            'delta': summary((p.detach() - p0[n]).numpy(), 200 + k),
        }
    buffers = {n: summary(b.numpy(), 300 + k) for k, (n, b) in enumerate(model.named_buffers()) if 'running' in n}
    return {
        'x_shape': list(x_shape),
        'out_shape': list(out_shape),
        'eval_output': y_eval.numpy().ravel().tolist(),
        'train_output': y.detach().numpy().ravel().tolist(),
        'loss': float(loss.detach()),
        'params': params,
        'buffers': buffers,
    }


def main():
    torch.manual_seed(0)
    out = {
        'generator': 'tools/gen_engine_parity.py, torch %s, float64' % torch.__version__,
        'resnet18': case(ResNet18(4), (2, 3, 64, 64), (2, 4)),
        'vit_block': case(Block(32, 4), (2, 6, 32), (2, 6, 32)),
    }
    path = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'engine', 'parity.json')
    with open(path, 'w') as f:
        json.dump(out, f)
    print('wrote', path, os.path.getsize(path), 'bytes; loss r18', out['resnet18']['loss'])


if __name__ == '__main__':
    main()
