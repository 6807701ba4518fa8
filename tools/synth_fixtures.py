"""Fixtures for test/data/synth/reference.test.ts (run by hand: python3 tools/synth_fixtures.py).

scikit-image stands in for MATLAB where the two share conventions:
- rgb2lab / lab2rgb: sRGB, D65 (skimage's default illuminant and observer, as MATLAB's rgb2lab);
- rgb2hsv: hue as a fraction of a turn;
- rgb2ycbcr for float input: BT.601 studio range (Y in 16..235), as MATLAB rgb2ycbcr on doubles
  (skimage returns 0..255 values, MATLAB 0..1: divided by 255 here);
- threshold_multiotsu: exhaustive multi-level Otsu (the criterion of MATLAB multithresh);
- scipy.ndimage.gaussian_filter with mode 'nearest' and truncate so that the kernel is 2*ceil(2 sigma)+1 taps
  (MATLAB imgaussfilt's default size, replicate padding).
"""
import json
import numpy as np
from scipy import ndimage
from skimage import color, filters

rng = np.random.default_rng(20261122)
px = rng.integers(0, 256, size=(64, 3)).astype(np.float64) / 255.0
px[:4] = [[0, 0, 0], [1, 1, 1], [1, 0, 0], [0.5, 0.5, 0.5]]
img = px.reshape(8, 8, 3)

lab = color.rgb2lab(img).reshape(-1, 3)
hsv = color.rgb2hsv(img).reshape(-1, 3)
ycc = (color.rgb2ycbcr(img) / 255.0).reshape(-1, 3)
lab_in = np.column_stack([rng.uniform(0, 100, 64), rng.uniform(-60, 60, 64), rng.uniform(-60, 60, 64)])
rgb_from_lab = color.lab2rgb(lab_in.reshape(8, 8, 3)).reshape(-1, 3)  # skimage clips to [0, 1]

# Bimodal-ish samples for multi-Otsu, quantised to the 256-bin grid.
s = np.concatenate([rng.normal(60, 12, 3000), rng.normal(150, 20, 3000), rng.normal(220, 8, 2000)])
s = np.clip(np.round(s), 0, 255)
# The full 0..255 histogram (skimage builds an image's histogram over its own min..max range otherwise).
counts = np.bincount(s.astype(np.int64), minlength=256)
otsu = {str(k): filters.threshold_multiotsu(hist=(counts, np.arange(256)), classes=k + 1).tolist() for k in (1, 2, 3)}

g = rng.uniform(0, 1, size=(12, 17))
gauss = {}
for sigma in (0.5, 1.0, 2.0):
    r = int(np.ceil(2 * sigma))
    gauss[str(sigma)] = ndimage.gaussian_filter(g, sigma, mode='nearest', truncate=r / sigma).ravel().tolist()

out = {
    'source': 'tools/synth_fixtures.py (scikit-image %s, scipy)' % __import__('skimage').__version__,
    'rgb': px.tolist(),
    'lab': lab.tolist(),
    'hsv': hsv.tolist(),
    'ycbcr': ycc.tolist(),
    'labIn': lab_in.tolist(),
    'rgbFromLab': rgb_from_lab.tolist(),
    'otsuSamples': s.tolist(),
    'otsu': otsu,
    'gaussIn': g.ravel().tolist(),
    'gaussShape': [12, 17],
    'gauss': gauss,
}
with open('test/fixtures/synth/reference.json', 'w') as f:
    json.dump(out, f)
print('wrote test/fixtures/synth/reference.json')
