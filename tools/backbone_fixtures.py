"""Parity fixtures for src/models/backbones (not run in CI).

Independent PyTorch references written from the papers / torchvision / timm architectures with the same state-dict
names (torchvision itself is not importable here and timm is not installed). Each backbone is built with seeded
random weights at a reduced width, weights are rounded to float16 (so the committed file is small and both sides
use exactly the same values), BatchNorm running stats are randomised, and the stage outputs on a fixed input are
computed in float32. One safetensors file per backbone under test/fixtures/backbones/ holds the weights (F16),
`__input__` and `__out{i}__` (F32). `full_shapes.json` lists the state-dict names and shapes of the full-size
configurations (no weights), to check the TypeScript modules' names against.

Run: python3 tools/backbone_fixtures.py
"""
import json, math, os
import torch, torch.nn as nn, torch.nn.functional as F
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'backbones')
torch.set_grad_enabled(False)

# ---------------- ResNet (torchvision layout) ----------------
class BasicBlock(nn.Module):
    expansion = 1
    def __init__(s, cin, p, stride):
        super().__init__()
        s.conv1 = nn.Conv2d(cin, p, 3, stride, 1, bias=False); s.bn1 = nn.BatchNorm2d(p)
        s.conv2 = nn.Conv2d(p, p, 3, 1, 1, bias=False); s.bn2 = nn.BatchNorm2d(p)
        s.downsample = nn.Sequential(nn.Conv2d(cin, p, 1, stride, bias=False), nn.BatchNorm2d(p)) if stride != 1 or cin != p else None
    def forward(s, x):
        h = s.bn2(s.conv2(F.relu(s.bn1(s.conv1(x)))))
        return F.relu(h + (s.downsample(x) if s.downsample is not None else x))

class Bottleneck(nn.Module):
    expansion = 4
    def __init__(s, cin, p, stride):
        super().__init__()
        s.conv1 = nn.Conv2d(cin, p, 1, bias=False); s.bn1 = nn.BatchNorm2d(p)
        s.conv2 = nn.Conv2d(p, p, 3, stride, 1, bias=False); s.bn2 = nn.BatchNorm2d(p)
        s.conv3 = nn.Conv2d(p, p * 4, 1, bias=False); s.bn3 = nn.BatchNorm2d(p * 4)
        s.downsample = nn.Sequential(nn.Conv2d(cin, p * 4, 1, stride, bias=False), nn.BatchNorm2d(p * 4)) if stride != 1 or cin != p * 4 else None
    def forward(s, x):
        h = F.relu(s.bn1(s.conv1(x))); h = F.relu(s.bn2(s.conv2(h))); h = s.bn3(s.conv3(h))
        return F.relu(h + (s.downsample(x) if s.downsample is not None else x))

class ResNet(nn.Module):
    def __init__(s, block, counts, w=64):
        super().__init__()
        s.conv1 = nn.Conv2d(3, w, 7, 2, 3, bias=False); s.bn1 = nn.BatchNorm2d(w)
        cin = w
        for li, n in enumerate(counts):
            blocks = []
            for i in range(n):
                blocks.append(block(cin, w * 2 ** li, 2 if i == 0 and li > 0 else 1)); cin = w * 2 ** li * block.expansion
            setattr(s, f'layer{li + 1}', nn.Sequential(*blocks))
    def forward(s, x):
        h = F.max_pool2d(F.relu(s.bn1(s.conv1(x))), 3, 2, 1); out = [h]
        for li in range(4):
            h = getattr(s, f'layer{li + 1}')(h); out.append(h)
        return out

# ---------------- VGG16 / AlexNet / SqueezeNet features (torchvision indices) ----------------
class L2pooling(nn.Module):
    def __init__(s, c):
        super().__init__()
        a = torch.tensor([0.5, 1.0, 0.5]); g = a[:, None] * a[None, :]; g = g / g.sum()
        s.register_buffer('filter', g[None, None].repeat(c, 1, 1, 1)); s.c = c
    def forward(s, x):
        return (F.conv2d(x ** 2, s.filter, stride=2, padding=1, groups=s.c) + 1e-12).sqrt()

class VGG16(nn.Module):
    taps = [3, 8, 15, 22, 29]
    def __init__(s, d=1, pool='max'):
        super().__init__()
        layers, cin = [], 3
        for v in [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M']:
            if v == 'M': layers.append(L2pooling(cin) if pool == 'l2' else nn.MaxPool2d(2, 2))
            else: layers += [nn.Conv2d(cin, v // d, 3, padding=1), nn.ReLU()]; cin = v // d
        s.features = nn.Sequential(*layers)
    def forward(s, x):
        out = []
        for i, m in enumerate(s.features):
            if i > s.taps[-1]: break
            x = m(x)
            if i in s.taps: out.append(x)
        return out

class AlexNet(nn.Module):
    taps = [1, 4, 7, 9, 11]
    def __init__(s, d=1):
        super().__init__()
        c1, c2, c3, c4 = 64 // d, 192 // d, 384 // d, 256 // d
        s.features = nn.Sequential(nn.Conv2d(3, c1, 11, 4, 2), nn.ReLU(), nn.MaxPool2d(3, 2), nn.Conv2d(c1, c2, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
                                   nn.Conv2d(c2, c3, 3, padding=1), nn.ReLU(), nn.Conv2d(c3, c4, 3, padding=1), nn.ReLU(), nn.Conv2d(c4, c4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2))
    forward = VGG16.forward

class Fire(nn.Module):
    def __init__(s, cin, sq, e1, e3):
        super().__init__()
        s.squeeze = nn.Conv2d(cin, sq, 1); s.expand1x1 = nn.Conv2d(sq, e1, 1); s.expand3x3 = nn.Conv2d(sq, e3, 3, padding=1)
    def forward(s, x):
        x = F.relu(s.squeeze(x)); return torch.cat([F.relu(s.expand1x1(x)), F.relu(s.expand3x3(x))], 1)

class SqueezeNet(nn.Module):
    taps = [1, 4, 7, 9, 10, 11, 12]
    def __init__(s, d=1):
        super().__init__()
        f = lambda cin, sq, e: Fire(cin // d, sq // d, e // d, e // d)
        P = lambda: nn.MaxPool2d(3, 2, ceil_mode=True)
        s.features = nn.Sequential(nn.Conv2d(3, 64 // d, 3, 2), nn.ReLU(), P(), f(64, 16, 64), f(128, 16, 64), P(), f(128, 32, 128), f(256, 32, 128), P(),
                                   f(256, 48, 192), f(384, 48, 192), f(384, 64, 256), f(512, 64, 256))
    forward = VGG16.forward

# ---------------- Swin (timm >= 0.9 layout) ----------------
class Mlp(nn.Module):
    def __init__(s, d, h, act=nn.GELU):
        super().__init__(); s.fc1 = nn.Linear(d, h); s.fc2 = nn.Linear(h, d)
    def forward(s, x): return s.fc2(F.gelu(s.fc1(x)))

def window_partition(x, ws):
    B, H, W, C = x.shape
    return x.view(B, H // ws, ws, W // ws, ws, C).permute(0, 1, 3, 2, 4, 5).reshape(-1, ws * ws, C)

def window_reverse(w, ws, H, W):
    C = w.shape[-1]
    return w.view(-1, H // ws, W // ws, ws, ws, C).permute(0, 1, 3, 2, 4, 5).reshape(-1, H, W, C)

class WindowAttention(nn.Module):
    def __init__(s, dim, heads, ws):
        super().__init__()
        s.heads, s.ws = heads, ws
        s.relative_position_bias_table = nn.Parameter(torch.randn((2 * ws - 1) ** 2, heads) * 0.02)
        c = torch.stack(torch.meshgrid(torch.arange(ws), torch.arange(ws), indexing='ij')).flatten(1)
        r = (c[:, :, None] - c[:, None, :]).permute(1, 2, 0).contiguous(); r[:, :, 0] += ws - 1; r[:, :, 1] += ws - 1; r[:, :, 0] *= 2 * ws - 1
        s.register_buffer('relative_position_index', r.sum(-1), persistent=False)
        s.qkv = nn.Linear(dim, dim * 3); s.proj = nn.Linear(dim, dim)
    def forward(s, x, mask=None):
        B_, N, C = x.shape
        qkv = s.qkv(x).reshape(B_, N, 3, s.heads, -1).permute(2, 0, 3, 1, 4); q, k, v = qkv.unbind(0)
        # timm >= 0.9 fused path: SDPA with the relative position bias (+ shift mask) as an additive mask
        bias = s.relative_position_bias_table[s.relative_position_index.view(-1)].view(N, N, -1).permute(2, 0, 1).unsqueeze(0)
        if mask is not None:
            nw = mask.shape[0]; bias = (bias.view(1, 1, s.heads, N, N) + mask.view(1, nw, 1, N, N)).expand(B_ // nw, -1, -1, -1, -1).reshape(-1, s.heads, N, N)
        x = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return s.proj(x.transpose(1, 2).reshape(B_, N, -1))

class SwinBlock(nn.Module):
    def __init__(s, dim, heads, res, window, shifted):
        super().__init__()
        fits = min(res) <= window
        s.ws = min(res) if fits else window; s.shift = 0 if (fits or not shifted) else window // 2
        s.norm1 = nn.LayerNorm(dim); s.attn = WindowAttention(dim, heads, s.ws); s.norm2 = nn.LayerNorm(dim); s.mlp = Mlp(dim, 4 * dim)
        if s.shift:
            H, W = res; img = torch.zeros(1, H, W, 1); cnt = 0
            for h in (slice(0, -s.ws), slice(-s.ws, -s.shift), slice(-s.shift, None)):
                for w in (slice(0, -s.ws), slice(-s.ws, -s.shift), slice(-s.shift, None)):
                    img[:, h, w, :] = cnt; cnt += 1
            mw = window_partition(img, s.ws).view(-1, s.ws * s.ws)
            m = mw.unsqueeze(1) - mw.unsqueeze(2); s.register_buffer('attn_mask', m.masked_fill(m != 0, -100.0).masked_fill(m == 0, 0.0), persistent=False)
        else: s.attn_mask = None
    def forward(s, x):
        B, H, W, C = x.shape
        h = s.norm1(x)
        if s.shift: h = torch.roll(h, (-s.shift, -s.shift), (1, 2))
        h = window_reverse(s.attn(window_partition(h, s.ws), s.attn_mask), s.ws, H, W)
        if s.shift: h = torch.roll(h, (s.shift, s.shift), (1, 2))
        x = x + h
        return x + s.mlp(s.norm2(x))

class PatchMerging(nn.Module):
    def __init__(s, dim):
        super().__init__(); s.norm = nn.LayerNorm(4 * dim); s.reduction = nn.Linear(4 * dim, 2 * dim, bias=False)
    def forward(s, x):
        B, H, W, C = x.shape
        return s.reduction(s.norm(x.reshape(B, H // 2, 2, W // 2, 2, C).permute(0, 1, 3, 4, 2, 5).flatten(3)))

class SwinStage(nn.Module):
    def __init__(s, din, dim, depth, heads, res, window):
        super().__init__()
        s.downsample = PatchMerging(din) if din != dim else nn.Identity()
        s.blocks = nn.Sequential(*[SwinBlock(dim, heads, res, window, j % 2 == 1) for j in range(depth)])
    def forward(s, x): return s.blocks(s.downsample(x))

class PatchEmbed(nn.Module):
    def __init__(s, p, dim, norm=True):
        super().__init__(); s.proj = nn.Conv2d(3, dim, p, p)
        if norm: s.norm = nn.LayerNorm(dim)

class Swin(nn.Module):
    def __init__(s, C=96, depths=(2, 2, 6, 2), heads=(3, 6, 12, 24), window=7, img=224, per_stage=False):
        super().__init__()
        s.patch_embed = PatchEmbed(4, C); dims = [C * 2 ** i for i in range(len(depths))]
        s.layers = nn.Sequential(*[SwinStage(dims[i - 1] if i else C, dims[i], d, heads[i], (img // 4 // 2 ** i,) * 2, window) for i, d in enumerate(depths)])
        s.per_stage = per_stage
        if per_stage:
            for i, d in enumerate(dims): setattr(s, f'norm{i}', nn.LayerNorm(d))
        else: s.norm = nn.LayerNorm(dims[-1])
    def forward(s, x):
        h = s.patch_embed.norm(s.patch_embed.proj(x).permute(0, 2, 3, 1)); out = []
        for i, l in enumerate(s.layers):
            h = l(h)
            n = getattr(s, f'norm{i}') if s.per_stage else (s.norm if i == len(s.layers) - 1 else None)
            out.append((n(h) if n is not None else h).permute(0, 3, 1, 2))
        return out

# ---------------- ViT, DeiT-III style (timm layout) ----------------
class Attention(nn.Module):
    def __init__(s, dim, heads):
        super().__init__(); s.heads = heads; s.qkv = nn.Linear(dim, 3 * dim); s.proj = nn.Linear(dim, dim)
    def forward(s, x):
        B, N, C = x.shape
        q, k, v = s.qkv(x).reshape(B, N, 3, s.heads, -1).permute(2, 0, 3, 1, 4).unbind(0)
        return s.proj(F.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(B, N, C))

class LayerScale(nn.Module):
    def __init__(s, dim, init):
        super().__init__(); s.gamma = nn.Parameter(init * torch.ones(dim))
    def forward(s, x): return x * s.gamma

class VitBlock(nn.Module):
    def __init__(s, dim, heads):
        super().__init__()
        s.norm1 = nn.LayerNorm(dim, eps=1e-6); s.attn = Attention(dim, heads); s.ls1 = LayerScale(dim, 1e-6)
        s.norm2 = nn.LayerNorm(dim, eps=1e-6); s.mlp = Mlp(dim, 4 * dim); s.ls2 = LayerScale(dim, 1e-6)
    def forward(s, x):
        x = x + s.ls1(s.attn(s.norm1(x))); return x + s.ls2(s.mlp(s.norm2(x)))

class ViT(nn.Module):
    def __init__(s, C=384, depth=12, heads=6, patch=16, img=224, out_idx=None):
        super().__init__()
        n = (img // patch) ** 2
        s.cls_token = nn.Parameter(torch.zeros(1, 1, C)); s.pos_embed = nn.Parameter(torch.randn(1, n, C) * .02)
        s.patch_embed = PatchEmbed(patch, C, norm=False)
        s.blocks = nn.Sequential(*[VitBlock(C, heads) for _ in range(depth)]); s.norm = nn.LayerNorm(C, eps=1e-6)
        s.out_idx = out_idx or [math.ceil(q * depth / 4) - 1 for q in (1, 2, 3, 4)]
    def forward(s, x):
        t = s.patch_embed.proj(x).flatten(2).transpose(1, 2) + s.pos_embed
        h = torch.cat([s.cls_token.expand(x.shape[0], -1, -1), t], 1); out = []
        for i, b in enumerate(s.blocks):
            h = b(h)
            if i in s.out_idx: out.append(h)
        return out + [s.norm(h)]

# ---------------- VAN (official VAN-Classification layout) ----------------
class LKA(nn.Module):
    def __init__(s, d):
        super().__init__()
        s.conv0 = nn.Conv2d(d, d, 5, padding=2, groups=d); s.conv_spatial = nn.Conv2d(d, d, 7, padding=9, groups=d, dilation=3); s.conv1 = nn.Conv2d(d, d, 1)
    def forward(s, x): return x * s.conv1(s.conv_spatial(s.conv0(x)))

class VanAttn(nn.Module):
    def __init__(s, d):
        super().__init__(); s.proj_1 = nn.Conv2d(d, d, 1); s.spatial_gating_unit = LKA(d); s.proj_2 = nn.Conv2d(d, d, 1)
    def forward(s, x): return s.proj_2(s.spatial_gating_unit(F.gelu(s.proj_1(x)))) + x

class DW(nn.Module):
    def __init__(s, d): super().__init__(); s.dwconv = nn.Conv2d(d, d, 3, 1, 1, groups=d)

class VanMlp(nn.Module):
    def __init__(s, d, h):
        super().__init__(); s.fc1 = nn.Conv2d(d, h, 1); s.dwconv = DW(h); s.fc2 = nn.Conv2d(h, d, 1)
    def forward(s, x): return s.fc2(F.gelu(s.dwconv.dwconv(s.fc1(x))))

class VanBlock(nn.Module):
    def __init__(s, d, r):
        super().__init__()
        s.norm1 = nn.BatchNorm2d(d); s.attn = VanAttn(d); s.norm2 = nn.BatchNorm2d(d); s.mlp = VanMlp(d, d * r)
        s.layer_scale_1 = nn.Parameter(1e-2 * torch.ones(d)); s.layer_scale_2 = nn.Parameter(1e-2 * torch.ones(d))
    def forward(s, x):
        x = x + s.layer_scale_1[:, None, None] * s.attn(s.norm1(x))
        return x + s.layer_scale_2[:, None, None] * s.mlp(s.norm2(x))

class OPE(nn.Module):
    def __init__(s, k, st, cin, d):
        super().__init__(); s.proj = nn.Conv2d(cin, d, k, st, k // 2); s.norm = nn.BatchNorm2d(d)

class Van(nn.Module):
    def __init__(s, dims=(64, 128, 320, 512), depths=(3, 3, 12, 3), ratios=(8, 8, 4, 4)):
        super().__init__(); s.n = len(dims)
        for i, d in enumerate(dims):
            setattr(s, f'patch_embed{i + 1}', OPE(3 if i else 7, 2 if i else 4, dims[i - 1] if i else 3, d))
            setattr(s, f'block{i + 1}', nn.Sequential(*[VanBlock(d, ratios[i]) for _ in range(depths[i])]))
            setattr(s, f'norm{i + 1}', nn.LayerNorm(d, eps=1e-6))
    def forward(s, x):
        out = []
        for i in range(s.n):
            pe = getattr(s, f'patch_embed{i + 1}'); x = pe.norm(pe.proj(x)); x = getattr(s, f'block{i + 1}')(x)
            B, C, H, W = x.shape
            x = getattr(s, f'norm{i + 1}')(x.flatten(2).transpose(1, 2)).transpose(1, 2).reshape(B, C, H, W); out.append(x)
        return out

# ---------------- small CNN ----------------
class CBR(nn.Module):
    def __init__(s, cin, cout, st):
        super().__init__(); s.conv = nn.Conv2d(cin, cout, 3, st, 1, bias=False); s.bn = nn.BatchNorm2d(cout)
    def forward(s, x): return F.relu(s.bn(s.conv(x)))

class SmallCnn(nn.Module):
    def __init__(s, w=(16, 32, 64, 128)):
        super().__init__()
        s.stem = CBR(3, w[0], 2); s.stages = nn.Sequential(*[nn.Sequential(CBR(w[i - 1] if i else w[0], c, 2 if i else 1), CBR(c, c, 1)) for i, c in enumerate(w)])
    def forward(s, x):
        x = s.stem(x); out = []
        for st in s.stages: x = st(x); out.append(x)
        return out

# ---------------- fixtures ----------------
SMALL = {  # name: (builder, input [N, 3, S, S])
    'resnet18': (lambda: ResNet(BasicBlock, [2, 2, 2, 2], 8), 64),
    'resnet50': (lambda: ResNet(Bottleneck, [3, 4, 6, 3], 8), 64),
    'vgg16': (lambda: VGG16(8), 64),
    'vgg16_l2': (lambda: VGG16(8, 'l2'), 64),
    'alexnet': (lambda: AlexNet(4), 64),
    'squeezenet1_1': (lambda: SqueezeNet(4), 64),
    'swin': (lambda: Swin(16, (2, 2, 2, 2), (1, 2, 4, 8), 4, 64), 64),
    'swin_per_stage': (lambda: Swin(16, (2, 2, 2, 2), (1, 2, 4, 8), 4, 64, per_stage=True), 64),
    'vit': (lambda: ViT(48, 4, 3, 16, 64), 64),
    'van': (lambda: Van((8, 16, 40, 64), (1, 1, 2, 1)), 64),
    'small_cnn': (lambda: SmallCnn((8, 16, 24, 32)), 64),
}
FULL = {
    'resnet18': lambda: ResNet(BasicBlock, [2, 2, 2, 2]), 'resnet34': lambda: ResNet(BasicBlock, [3, 4, 6, 3]), 'resnet50': lambda: ResNet(Bottleneck, [3, 4, 6, 3]),
    'vgg16': VGG16, 'alexnet': AlexNet, 'squeezenet1_1': SqueezeNet, 'swin_tiny_patch4_window7_224': Swin,
    'van_b0': lambda: Van((32, 64, 160, 256), (3, 3, 5, 2)), 'van_b1': lambda: Van((64, 128, 320, 512), (2, 2, 4, 2)), 'van_b2': Van,
    'deit3_small_patch16_224': ViT, 'small_cnn': SmallCnn,
}

def randomise(m, seed):
    g = torch.Generator().manual_seed(seed)
    sd = m.state_dict()
    for k, v in sd.items():
        if not v.is_floating_point() or k.endswith('.filter'): continue
        if k.endswith('running_var'): v.copy_(torch.rand(v.shape, generator=g) * 0.5 + 0.75)
        elif k.endswith('running_mean'): v.copy_(torch.randn(v.shape, generator=g) * 0.1)
        elif 'norm' in k.split('.')[-2] if '.' in k else False: v.copy_((1 if k.endswith('weight') else 0) + torch.randn(v.shape, generator=g) * 0.1)
        elif k.endswith(('gamma', 'layer_scale_1', 'layer_scale_2')): v.copy_(torch.rand(v.shape, generator=g) * 0.5 + 0.5)
        else:
            fan = v[0].numel() if v.dim() > 1 else v.numel()
            v.copy_(torch.randn(v.shape, generator=g) * (1.0 / math.sqrt(max(fan, 1))))
        v.copy_(v.half().float())  # both sides use the float16-rounded values
    for mod in m.modules():
        if isinstance(mod, nn.BatchNorm2d):
            mod.weight.data.copy_((1 + torch.randn(mod.weight.shape, generator=g) * 0.1).half().float())
            mod.bias.data.copy_((torch.randn(mod.bias.shape, generator=g) * 0.1).half().float())

if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    for i, (name, (build, size)) in enumerate(SMALL.items()):
        torch.manual_seed(i)
        m = build().eval(); randomise(m, 100 + i)
        x = torch.rand(2, 3, size, size, generator=torch.Generator().manual_seed(7))
        outs = m(x)
        t = {k: v.half() for k, v in m.state_dict().items()}
        t['__input__'] = x
        for j, o in enumerate(outs): t[f'__out{j}__'] = o.contiguous().float()
        save_file(t, os.path.join(OUT, f'{name}.safetensors'))
        print(name, [tuple(o.shape) for o in outs], sum(v.numel() for k, v in m.state_dict().items()))
    shapes = {}
    for name, build in FULL.items():
        shapes[name] = {k: list(v.shape) for k, v in build().state_dict().items() if k.split('.')[-1] != 'num_batches_tracked'}
    json.dump(shapes, open(os.path.join(OUT, 'full_shapes.json'), 'w'))
