"""Parity fixtures for ViT / Swin at input sizes other than the trained one (not run in CI).

References are timm's own modules (timm 1.0.x, `pip install --no-deps timm` from the local index): a reduced-width
DeiT-III ViT (`no_embed_class=True`, LayerScale) trained-size 224 / patch 16, evaluated at 160x224 and 256x256 with
the position embedding resampled by timm `resample_abs_pos_embed` (antialias True = timm's default, and False), and
reduced-width Swin models (embed 4, window 7, patch 4) built by timm for img_size 160x224, 256x256 and 224x96 (timm's
per-axis window clamp, padded window attention, shift mask on the padded map). Weights are seeded, rounded to
float16 (stored F16), the input is `seeded_uniform(7, 3 H W)` (test/helpers/seeded-weights.ts), stage outputs F32.

timm imports torchvision at load time; the torchvision installed here does not match torch, so a stub package
stands in for it (no torchvision code runs in these models).

Run: python3 tools/backbone_sizes_fixtures.py  ->  test/fixtures/backbones/{vit_sizes,swin_<H>x<W>}.safetensors
"""
import importlib.abc, importlib.machinery, math, os, sys, types
import numpy as np
import torch
from safetensors.torch import save_file


class _AnyMeta(type):
    def __getattr__(cls, name):
        if name.startswith('__'): raise AttributeError(name)
        return name


class _Any(metaclass=_AnyMeta):
    pass


class _Stub(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith('__'): raise AttributeError(name)
        return _Any


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path, target=None):
        if fullname == 'torchvision' or fullname.startswith('torchvision.'):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
    def create_module(self, spec):
        m = _Stub(spec.name); m.__path__ = []; return m
    def exec_module(self, module): pass


sys.meta_path.insert(0, _Finder())
import timm  # noqa: E402
from timm.layers import resample_abs_pos_embed  # noqa: E402
from hashinit import seeded_uniform  # noqa: E402
from timm.models.swin_transformer import SwinTransformer  # noqa: E402
from timm.models.vision_transformer import VisionTransformer  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'backbones')
torch.set_grad_enabled(False)


def image(h, w):
    return torch.from_numpy(seeded_uniform(7, 3 * h * w).astype(np.float32)).view(1, 3, h, w)


def randomise(m, seed):
    g = torch.Generator().manual_seed(seed)
    for k, v in m.state_dict().items():
        if not v.is_floating_point(): continue
        last = k.split('.')
        if 'norm' in (last[-2] if len(last) > 1 else last[-1]):
            v.copy_((1 if k.endswith('weight') else 0) + torch.randn(v.shape, generator=g) * 0.1)
        elif k.endswith('gamma'): v.copy_(torch.rand(v.shape, generator=g) * 0.5 + 0.5)
        else:
            fan = v[0].numel() if v.dim() > 1 else v.numel()
            v.copy_(torch.randn(v.shape, generator=g) * (1.0 / math.sqrt(max(fan, 1))))
        v.copy_(v.half().float())


def weights(m):
    return {k: v.half().contiguous() for k, v in m.state_dict().items() if v.is_floating_point() and not k.endswith(('relative_position_index', 'attn_mask'))}


def vit_features(m, x, antialias):
    B = x.shape[0]
    t = m.patch_embed(x)  # dynamic_img_size: [B, h, w, C]
    gh, gw, C = t.shape[1], t.shape[2], t.shape[3]
    pos = resample_abs_pos_embed(m.pos_embed, new_size=(gh, gw), old_size=m.patch_embed.grid_size, num_prefix_tokens=0, antialias=antialias)
    h = torch.cat([m.cls_token.expand(B, -1, -1), t.reshape(B, -1, C) + pos], 1)
    outs = []
    for blk in m.blocks:
        h = blk(h); outs.append(h)
    outs.append(m.norm(h))
    return outs


def swin_features(m, x):
    h = m.patch_embed(x)
    outs = []
    for i, layer in enumerate(m.layers):
        h = layer(h); outs.append(h)
    outs[-1] = m.norm(outs[-1])
    return [o.permute(0, 3, 1, 2) for o in outs]


if __name__ == '__main__':
    print('timm', timm.__version__, 'torch', torch.__version__)
    torch.manual_seed(0)
    vit = VisionTransformer(img_size=224, patch_size=16, embed_dim=24, depth=4, num_heads=2, no_embed_class=True, init_values=1e-6,
                            num_classes=0, dynamic_img_size=True).eval()
    randomise(vit, 200)
    t = weights(vit)
    for (H, W) in ((160, 224), (256, 256)):
        x = image(H, W)
        for aa in (True, False):
            outs = vit_features(vit, x, aa)
            if aa:  # timm's own dynamic-size path is the antialiased one
                assert torch.allclose(vit.forward_features(x), outs[-1], atol=1e-6)
            for j, o in enumerate(outs): t[f'__out{j}_{H}x{W}_{"aa" if aa else "noaa"}__'] = o.contiguous().float()
    save_file(t, os.path.join(OUT, 'vit_sizes.safetensors'))
    print('vit', vit.pos_embed.shape, vit.norm)
    for i, (H, W) in enumerate(((160, 224), (256, 256), (224, 96))):
        torch.manual_seed(10 + i)
        m = SwinTransformer(img_size=(H, W), patch_size=4, embed_dim=4, depths=(2, 2, 2, 2), num_heads=(1, 2, 4, 8), window_size=7, num_classes=0).eval()
        randomise(m, 300 + i)
        x = image(H, W)
        outs = swin_features(m, x)
        assert torch.allclose(m.forward_features(x), outs[-1].permute(0, 2, 3, 1), atol=1e-6)
        t = weights(m)
        for j, o in enumerate(outs): t[f'__out{j}__'] = o.contiguous().float()
        save_file(t, os.path.join(OUT, f'swin_{H}x{W}.safetensors'))
        print('swin', H, W, [(blk.window_size, blk.shift_size) for l in m.layers for blk in l.blocks][1::2], [tuple(o.shape) for o in outs])
