"""PyTorch references for QFM-IQM and MFENet written from the same design (docs/models.md §3.6, §4.6), tiny configs.

Writes test/fixtures/nr-models/{qfm,mfenet}.safetensors: seeded random weights (torch.manual_seed), the input,
targets, eval-mode outputs, the training loss and every parameter gradient of one training step (train mode, batch
statistics for BN). Not run in CI:  python3 tools/gen_nr_models_parity.py
State-dict names equal the TypeScript modules' names (src/models/qfm, src/models/mfenet).
"""
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'nr-models')
torch.manual_seed(0)


def jitter_(model, scale=0.1):
    """Random non-trivial values for norms / layer scales / zero biases so they are exercised."""
    with torch.no_grad():
        for n, p in model.named_parameters():
            if n.endswith('gamma') or n.endswith('layer_scale_1') or n.endswith('layer_scale_2'):
                p.copy_(0.5 + 0.5 * torch.rand_like(p))
            elif p.dim() == 1:
                p.add_(scale * torch.randn_like(p))
        for n, b in model.named_buffers():
            if n.endswith('running_mean'):
                b.copy_(0.1 * torch.randn_like(b))
            elif n.endswith('running_var'):
                b.copy_(0.5 + torch.rand_like(b))


# ---------------------------------------------------------------- QFM-IQM
class Attention(nn.Module):
    def __init__(s, d, h):
        super().__init__()
        s.h = h
        s.qkv = nn.Linear(d, 3 * d)
        s.proj = nn.Linear(d, d)

    def forward(s, x):
        b, l, e = x.shape
        q, k, v = s.qkv(x).reshape(b, l, 3, s.h, e // s.h).permute(2, 0, 3, 1, 4)
        a = (q @ k.transpose(-1, -2) / (e // s.h) ** 0.5).softmax(-1)
        return s.proj((a @ v).transpose(1, 2).reshape(b, l, e))


class Mlp(nn.Module):
    def __init__(s, d, hid):
        super().__init__()
        s.fc1 = nn.Linear(d, hid)
        s.fc2 = nn.Linear(hid, d)

    def forward(s, x):
        return s.fc2(F.gelu(s.fc1(x)))


class LS(nn.Module):
    def __init__(s, d):
        super().__init__()
        s.gamma = nn.Parameter(torch.ones(d))

    def forward(s, x):
        return x * s.gamma


class Block(nn.Module):
    def __init__(s, d, h):
        super().__init__()
        s.norm1 = nn.LayerNorm(d, eps=1e-6)
        s.attn = Attention(d, h)
        s.ls1 = LS(d)
        s.norm2 = nn.LayerNorm(d, eps=1e-6)
        s.mlp = Mlp(d, 4 * d)
        s.ls2 = LS(d)

    def forward(s, x):
        x = x + s.ls1(s.attn(s.norm1(x)))
        return x + s.ls2(s.mlp(s.norm2(x)))


class PatchEmbed(nn.Module):
    def __init__(s, p, d):
        super().__init__()
        s.proj = nn.Conv2d(3, d, p, p)


class Vit(nn.Module):
    """timm deit3 (no_embed_class): pos_embed on the patch tokens only, then CLS prepended."""
    def __init__(s, d, depth, h, img, p):
        super().__init__()
        n = (img // p) ** 2
        s.cls_token = nn.Parameter(0.02 * torch.randn(1, 1, d))
        s.pos_embed = nn.Parameter(0.02 * torch.randn(1, n, d))
        s.patch_embed = PatchEmbed(p, d)
        s.blocks = nn.Sequential(*[Block(d, h) for _ in range(depth)])
        s.norm = nn.LayerNorm(d, eps=1e-6)

    def forward(s, x):
        t = s.patch_embed.proj(x).flatten(2).transpose(1, 2) + s.pos_embed
        t = torch.cat([s.cls_token.expand(x.shape[0], -1, -1), t], 1)
        return s.norm(s.blocks(t))


class Gate(nn.Module):
    def __init__(s, d, r):
        super().__init__()
        s.norm = nn.LayerNorm(d)
        s.fc1 = nn.Linear(d, d // r)
        s.fc2 = nn.Linear(d // r, d)

    def forward(s, t):
        return torch.sigmoid(s.fc2(F.gelu(s.fc1(s.norm(t[:, 1:].mean(1))))))


class Panel(nn.Module):
    def __init__(s, d, nq, h):
        super().__init__()
        s.queries = nn.Parameter(0.02 * torch.randn(nq, d))
        s.decoder = nn.TransformerDecoderLayer(d, h, 4 * d, dropout=0.0, activation='gelu', batch_first=True, norm_first=True)
        s.heads = nn.Parameter(torch.randn(nq, d) / d ** 0.5)

    def forward(s, t):
        q = s.queries.unsqueeze(0).expand(t.shape[0], -1, -1) + t[:, :1]
        dq = s.decoder(q, t[:, 1:])
        return (dq * s.heads.unsqueeze(0)).sum(2).mean(1, keepdim=True)


class Qfm(nn.Module):
    def __init__(s, d, depth, h, img, p, nq, r):
        super().__init__()
        s.encoder = Vit(d, depth, h, img, p)
        s.gate = Gate(d, r)
        s.panel = Panel(d, nq, h)

    def tokens(s, x):
        t = s.encoder(x)
        return t * s.gate(t).unsqueeze(1)

    def forward(s, x):
        return s.panel(s.tokens(x))


def smooth_l1(p, t):
    return F.smooth_l1_loss(p, t, reduction='none')


def qfm_loss(m, x, y, partner, mask, eps, lam_s, lam_m):
    """docs/models.md §3.6 losses, batch means (masked terms divided by B)."""
    t = m.tokens(x)
    pred = m.panel(t)
    loss = smooth_l1(pred, y).mean()
    delta = t[partner] - t
    fro = lambda u: (u.pow(2).sum((1, 2), keepdim=True) + 1e-12).sqrt()
    tt = t + delta * (eps.view(-1, 1, 1) * (fro(t) / (fro(delta) + 1e-6)))
    pt = m.panel(tt)
    ls = ((smooth_l1(pt, pred.detach()) + smooth_l1(pt, y)) * mask).mean()
    z = t[:, 1:].mean(1)
    zj = z[partner]
    cos = (z * zj).sum(1, keepdim=True) / ((z * z).sum(1, keepdim=True) * (zj * zj).sum(1, keepdim=True) + 1e-12).sqrt()
    lm = ((1 - cos) * mask).mean()
    return loss + lam_s * ls + lam_m * lm


def gen_qfm():
    torch.manual_seed(1)
    m = Qfm(32, 2, 4, 32, 8, 3, 4)
    jitter_(m)
    b = 4
    x = torch.randn(b, 3, 32, 32)
    y = torch.rand(b, 1)
    partner = torch.tensor([2, 3, 0, 3])
    mask = torch.tensor([[1.0], [1.0], [1.0], [0.0]])
    eps = torch.tensor([[0.1], [0.2], [0.1], [0.1]])
    m.eval()
    with torch.no_grad():
        out = m(x)
    m.train()
    loss = qfm_loss(m, x, y, partner, mask, eps, 1.0, 0.1)
    loss.backward()
    d = {k: v.detach().contiguous() for k, v in m.state_dict().items()}
    d.update({'in.x': x, 'in.y': y, 'in.partner': partner.to(torch.int64), 'in.mask': mask, 'in.eps': eps, 'out.score': out, 'out.loss': loss.detach().reshape(1)})
    for n, p in m.named_parameters():
        d['grad.' + n] = p.grad.contiguous()
    save_file(d, os.path.join(OUT, 'qfm.safetensors'))
    print('qfm', out.flatten().tolist(), float(loss.detach()))


# ---------------------------------------------------------------- MFENet
class ConvBnRelu(nn.Module):
    def __init__(s, ci, co, st):
        super().__init__()
        s.conv = nn.Conv2d(ci, co, 3, st, 1, bias=False)
        s.bn = nn.BatchNorm2d(co)

    def forward(s, x):
        return F.relu(s.bn(s.conv(x)))


class OctConv(nn.Module):
    def __init__(s, cih, cil, coh, col):
        super().__init__()
        c = lambda a, b: nn.Conv2d(a, b, 3, 1, 1, bias=False)
        s.h2h = c(cih, coh)
        if cil:
            s.l2h = c(cil, coh)
        if cil and col:
            s.l2l = c(cil, col)
        if col:
            s.h2l = c(cih, col)
        s.bn_h = nn.BatchNorm2d(coh)
        if col:
            s.bn_l = nn.BatchNorm2d(col)
        s.col = col

    def forward(s, xh, xl):
        yh = s.h2h(xh) + F.interpolate(s.l2h(xl), scale_factor=2, mode='nearest')
        if not s.col:
            return F.relu(s.bn_h(yh)), None
        yl = s.h2l(F.avg_pool2d(xh, 2)) + s.l2l(xl)
        return F.relu(s.bn_h(yh)), F.relu(s.bn_l(yl))


class Hfen(nn.Module):
    def __init__(s, stem, oct_mid, dims):
        super().__init__()
        c0, c1 = stem
        hf = c1 // 2
        s.stem = nn.Sequential(ConvBnRelu(3, c0, 1), ConvBnRelu(c0, c1, 2))
        s.oct_in = OctConv(c1, c1, hf, hf)
        s.mids = []
        for i in range(oct_mid):
            setattr(s, f'oct_mid{i}', OctConv(hf, hf, hf, hf))
            s.mids.append(getattr(s, f'oct_mid{i}'))
        s.oct_out = OctConv(hf, hf, c1, 0)
        for i, d in enumerate(dims):
            setattr(s, f'down{i + 1}', nn.Sequential(ConvBnRelu(dims[i - 1] if i else c1, d, 2)))
        s.n = len(dims)

    def forward(s, x):
        st = s.stem(x)
        h, l = st, F.avg_pool2d(st, 2)
        for o in [s.oct_in, *s.mids, s.oct_out]:
            h, l = o(h, l)
        levels, p = [], h
        for i in range(s.n):
            p = getattr(s, f'down{i + 1}')(p)
            levels.append(p)
        return h, levels


class LKA(nn.Module):
    def __init__(s, d):
        super().__init__()
        s.conv0 = nn.Conv2d(d, d, 5, padding=2, groups=d)
        s.conv_spatial = nn.Conv2d(d, d, 7, padding=9, groups=d, dilation=3)
        s.conv1 = nn.Conv2d(d, d, 1)

    def forward(s, x):
        return x * s.conv1(s.conv_spatial(s.conv0(x)))


class VanAttn(nn.Module):
    def __init__(s, d):
        super().__init__()
        s.proj_1 = nn.Conv2d(d, d, 1)
        s.spatial_gating_unit = LKA(d)
        s.proj_2 = nn.Conv2d(d, d, 1)

    def forward(s, x):
        return s.proj_2(s.spatial_gating_unit(F.gelu(s.proj_1(x)))) + x


class DW(nn.Module):
    def __init__(s, d):
        super().__init__()
        s.dwconv = nn.Conv2d(d, d, 3, 1, 1, groups=d)


class VanMlp(nn.Module):
    def __init__(s, d, hid):
        super().__init__()
        s.fc1 = nn.Conv2d(d, hid, 1)
        s.dwconv = DW(hid)
        s.fc2 = nn.Conv2d(hid, d, 1)

    def forward(s, x):
        return s.fc2(F.gelu(s.dwconv.dwconv(s.fc1(x))))


class VanBlock(nn.Module):
    def __init__(s, d, r):
        super().__init__()
        s.norm1 = nn.BatchNorm2d(d)
        s.attn = VanAttn(d)
        s.norm2 = nn.BatchNorm2d(d)
        s.mlp = VanMlp(d, d * r)
        s.layer_scale_1 = nn.Parameter(1e-2 * torch.ones(d))
        s.layer_scale_2 = nn.Parameter(1e-2 * torch.ones(d))

    def forward(s, x):
        x = x + s.layer_scale_1.view(1, -1, 1, 1) * s.attn(s.norm1(x))
        return x + s.layer_scale_2.view(1, -1, 1, 1) * s.mlp(s.norm2(x))


class PE(nn.Module):
    def __init__(s, k, st, ci, d):
        super().__init__()
        s.proj = nn.Conv2d(ci, d, k, st, k // 2)
        s.norm = nn.BatchNorm2d(d)

    def forward(s, x):
        return s.norm(s.proj(x))


class Van(nn.Module):
    def __init__(s, dims, depths, ratios=(8, 8, 4, 4)):
        super().__init__()
        for i, d in enumerate(dims):
            setattr(s, f'patch_embed{i + 1}', PE(3 if i else 7, 2 if i else 4, dims[i - 1] if i else 3, d))
            setattr(s, f'block{i + 1}', nn.Sequential(*[VanBlock(d, ratios[i]) for _ in range(depths[i])]))
            setattr(s, f'norm{i + 1}', nn.LayerNorm(d, eps=1e-6))

    def stage(s, i, x):
        x = getattr(s, f'block{i + 1}')(getattr(s, f'patch_embed{i + 1}')(x))
        b, c, h, w = x.shape
        return getattr(s, f'norm{i + 1}')(x.flatten(2).transpose(1, 2)).transpose(1, 2).reshape(b, c, h, w)


class MsCam(nn.Module):
    def __init__(s, c, r=4):
        super().__init__()
        mid = max(1, c // r)
        br = lambda: nn.Sequential(nn.Conv2d(c, mid, 1), nn.BatchNorm2d(mid), nn.ReLU(), nn.Conv2d(mid, c, 1), nn.BatchNorm2d(c))
        s.local_att = br()
        s.global_att = br()

    def forward(s, x):
        return torch.sigmoid(s.local_att(x) + s.global_att(x.mean((2, 3), keepdim=True)))


class Aff(nn.Module):
    def __init__(s, c, scale=2):
        super().__init__()
        s.cam = MsCam(c)
        s.scale = scale

    def forward(s, x, y):
        w = s.cam(x + y)
        return s.scale * x * w + s.scale * y * (1 - w)


class BasicBlock(nn.Module):
    def __init__(s, ci, p, st):
        super().__init__()
        s.conv1 = nn.Conv2d(ci, p, 3, st, 1, bias=False)
        s.bn1 = nn.BatchNorm2d(p)
        s.conv2 = nn.Conv2d(p, p, 3, 1, 1, bias=False)
        s.bn2 = nn.BatchNorm2d(p)
        s.downsample = nn.Sequential(nn.Conv2d(ci, p, 1, st, bias=False), nn.BatchNorm2d(p)) if st != 1 or ci != p else None

    def forward(s, x):
        h = s.bn2(s.conv2(F.relu(s.bn1(s.conv1(x)))))
        return F.relu(h + (s.downsample(x) if s.downsample is not None else x))


class Bottleneck(nn.Module):
    def __init__(s, ci, p, st):
        super().__init__()
        s.conv1 = nn.Conv2d(ci, p, 1, bias=False)
        s.bn1 = nn.BatchNorm2d(p)
        s.conv2 = nn.Conv2d(p, p, 3, st, 1, bias=False)
        s.bn2 = nn.BatchNorm2d(p)
        s.conv3 = nn.Conv2d(p, 4 * p, 1, bias=False)
        s.bn3 = nn.BatchNorm2d(4 * p)
        s.downsample = nn.Sequential(nn.Conv2d(ci, 4 * p, 1, st, bias=False), nn.BatchNorm2d(4 * p)) if st != 1 or ci != 4 * p else None

    def forward(s, x):
        h = F.relu(s.bn1(s.conv1(x)))
        h = F.relu(s.bn2(s.conv2(h)))
        h = s.bn3(s.conv3(h))
        return F.relu(h + (s.downsample(x) if s.downsample is not None else x))


class ResNet(nn.Module):
    def __init__(s, counts, w, bottleneck=False):
        super().__init__()
        s.conv1 = nn.Conv2d(3, w, 7, 2, 3, bias=False)
        s.bn1 = nn.BatchNorm2d(w)
        ci = w
        blk, ex = (Bottleneck, 4) if bottleneck else (BasicBlock, 1)
        for li, n in enumerate(counts):
            blocks = []
            for i in range(n):
                blocks.append(blk(ci, w * 2 ** li, 2 if i == 0 and li > 0 else 1))
                ci = w * 2 ** li * ex
            setattr(s, f'layer{li + 1}', nn.Sequential(*blocks))
        s.out = ci

    def forward(s, x):
        h = F.max_pool2d(F.relu(s.bn1(s.conv1(x))), 3, 2, 1)
        for li in range(4):
            h = getattr(s, f'layer{li + 1}')(h)
        return h


class Ffm(nn.Module):
    def __init__(s, c, cd):
        super().__init__()
        s.reduce = nn.Sequential(nn.Conv2d(cd, c, 1, bias=False), nn.BatchNorm2d(c))
        s.fc1 = nn.Linear(2 * c, c // 2)
        s.fc2 = nn.Linear(c // 2, 2 * c)
        s.spatial = nn.Conv2d(2, 1, 7, padding=3)
        s.proj = nn.Sequential(nn.Conv2d(2 * c, c, 1, bias=False), nn.BatchNorm2d(c))

    def forward(s, q4, d4):
        u = torch.cat([q4, s.reduce(d4)], 1)
        a = torch.sigmoid(s.fc2(F.relu(s.fc1(u.mean((2, 3))))))
        sp = torch.sigmoid(s.spatial(torch.cat([u.mean(1, keepdim=True), u.amax(1, keepdim=True)], 1)))
        return q4 + s.proj(u * a[:, :, None, None] * sp)


class Mfenet(nn.Module):
    def __init__(s, dims, depths, stem, oct_mid, dan_counts, dan_w, hid, k, bottleneck=False):
        super().__init__()
        s.qen = Van(dims, depths)
        s.hfen = Hfen(stem, oct_mid, dims)
        for i, d in enumerate(dims):
            setattr(s, f'aff{i + 1}', Aff(d))
        s.hf_head = nn.Conv2d(stem[1], 1, 1)
        s.dan = ResNet(dan_counts, dan_w, bottleneck)
        s.ffm = Ffm(dims[3], s.dan.out)
        s.fc1 = nn.Linear(sum(dims), hid)
        s.fc2 = nn.Linear(hid, 1)
        s.cls = nn.Linear(dims[3], k)

    def train(s, mode=True):
        super().train(mode)
        s.dan.eval()  # frozen DAN: running statistics
        return s

    def forward(s, x):
        hf, levels = s.hfen(x)
        qs, h = [], x
        for i in range(4):
            h = s.qen.stage(i, h)
            h = getattr(s, f'aff{i + 1}')(h, levels[i])
            qs.append(h)
        f = s.ffm(qs[3], s.dan(x))
        v = torch.cat([qs[0].mean((2, 3)), qs[1].mean((2, 3)), qs[2].mean((2, 3)), f.mean((2, 3))], 1)
        score = s.fc2(F.gelu(s.fc1(v)))
        logits = s.cls(f.mean((2, 3)))
        r = F.interpolate(s.hf_head(hf), scale_factor=2, mode='nearest')
        return score, logits, r


def gen_mfenet():
    torch.manual_seed(2)
    m = Mfenet([8, 8, 16, 16], [1, 1, 1, 1], (4, 8), 1, [1, 1, 1, 1], 4, 16, 3)
    for p in m.dan.parameters():
        p.requires_grad_(False)
    jitter_(m)
    b = 4
    x = torch.randn(b, 3, 64, 64)
    y = torch.rand(b, 1)
    onehot = F.one_hot(torch.tensor([0, 2, 1, 2]), 3).float()
    hft = torch.rand(b, 1, 64, 64)
    m.eval()
    with torch.no_grad():
        out = m(x)[0]
    state = {k: v.detach().clone().contiguous() for k, v in m.state_dict().items() if not k.endswith('num_batches_tracked')}
    m.train()
    score, logits, r = m(x)
    loss = (score - y).abs().mean() + 0.1 * -(F.log_softmax(logits, 1) * onehot).sum() / b + 0.05 * (r - hft).abs().mean()
    loss.backward()
    d = dict(state)  # weights and running statistics before the train-mode forward updated them
    d.update({'in.x': x, 'in.y': y, 'in.onehot': onehot, 'in.hf': hft, 'out.score': out, 'out.loss': loss.detach().reshape(1)})
    for n, p in m.named_parameters():
        if p.grad is not None:
            d['grad.' + n] = p.grad.contiguous()
    save_file(d, os.path.join(OUT, 'mfenet.safetensors'))
    print('mfenet', out.flatten().tolist(), float(loss))


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    gen_qfm()
    gen_mfenet()
