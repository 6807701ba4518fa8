"""PIL (Pillow) resize fixtures for src/signal/pil-resize.ts (not run in CI).

Generated images only (seeded noise, ramps, step edges; no photos), resized with Pillow's `Image.resize` (uint8,
bilinear / bicubic / box) to smaller, larger and mixed sizes. Small cases store the full output; the two
formula-defined 300x270 images used by the DISTS resize test (the same integer formula is in
test/models/dists-resize.test.ts) store the torchvision `resize(img, 256)` size and the SHA-256 of Pillow's output.

Run: python3 tools/pil_resize_fixtures.py  ->  test/fixtures/signal/pil_resize.json
"""
import base64, hashlib, json, os
import numpy as np
import PIL
from PIL import Image

OUT = os.path.join(os.path.dirname(__file__), '..', 'test', 'fixtures', 'signal', 'pil_resize.json')
FILTERS = {'bilinear': Image.BILINEAR, 'bicubic': Image.BICUBIC, 'box': Image.BOX}
b64 = lambda a: base64.b64encode(np.ascontiguousarray(a, dtype=np.uint8).tobytes()).decode()


def planar(im):
    a = np.asarray(im)
    return a[None] if a.ndim == 2 else a.transpose(2, 0, 1)


def to_pil(a):  # planar uint8 [C, H, W]
    return Image.fromarray(a[0], 'L') if a.shape[0] == 1 else Image.fromarray(a.transpose(1, 2, 0), 'RGB')


rng = np.random.default_rng(5)
sources = {
    'noise_rgb_37x23': rng.integers(0, 256, (3, 23, 37), dtype=np.uint8),
    'ramp_grey_64x48': np.clip(np.add.outer(np.arange(48) * 3, np.arange(64) * 2)[None] + rng.integers(-20, 21, (1, 48, 64)), 0, 255).astype(np.uint8),
    'edges_rgb_17x61': np.stack([((np.arange(61)[:, None] // 5 + np.arange(17)[None] // 3 + c) % 2) * 255 for c in range(3)]).astype(np.uint8),
}
targets = {
    'noise_rgb_37x23': [(13, 9), (50, 11), (80, 57), (37, 5), (3, 23), (1, 1)],
    'ramp_grey_64x48': [(31, 17), (64, 100), (7, 48), (100, 37)],
    'edges_rgb_17x61': [(17, 20), (40, 61), (5, 7), (33, 123)],
}
cases = []
for name, a in sources.items():
    for (w, h) in targets[name]:
        for fname, f in FILTERS.items():
            r = planar(to_pil(a).resize((w, h), f))
            cases.append({'source': name, 'width': w, 'height': h, 'filter': fname, 'data': b64(r)})


def formula(W, H, which):  # identical integer formula in test/models/dists-resize.test.ts
    c, y, x = np.meshgrid(np.arange(3), np.arange(H), np.arange(W), indexing='ij')
    v = (3 * x + 5 * y + 85 * c + ((x * y) % 53) * 4) % 256
    if which == 'dist':
        v = np.clip(v + (x * 7 + y * 11 + c) % 23 - 11, 0, 255)
    return v.astype(np.uint8)


def tv_resize_size(w, h, size):  # torchvision _compute_resized_output_size for an int size
    short, long = (w, h) if w <= h else (h, w)
    ns, nl = size, int(size * long / short)
    return (ns, nl) if w <= h else (nl, ns)


hashes = []
for which in ('ref', 'dist'):
    W, H = 300, 270
    ow, oh = tv_resize_size(W, H, 256)
    r = planar(to_pil(formula(W, H, which)).resize((ow, oh), Image.BILINEAR))
    hashes.append({'image': which, 'width': W, 'height': H, 'outWidth': ow, 'outHeight': oh, 'sha256': hashlib.sha256(r.tobytes()).hexdigest()})

json.dump({'pillow': PIL.__version__, 'layout': 'planar uint8 [C, H, W], base64',
           'sources': [{'name': k, 'channels': int(a.shape[0]), 'height': int(a.shape[1]), 'width': int(a.shape[2]), 'data': b64(a)} for k, a in sources.items()],
           'cases': cases, 'formula': hashes}, open(OUT, 'w'))
print(OUT, os.path.getsize(OUT), 'bytes,', len(cases), 'cases')
