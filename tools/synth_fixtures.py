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

# JPEG: PIL (libjpeg-turbo), baseline 4:2:0, standard tables scaled by IJG quality, decoded back.
import io
from PIL import Image
yy, xx = np.mgrid[0:24, 0:32]
jin = np.stack([(xx * 7 + yy * 3) % 256, 128 + 100 * np.sin(xx / 3.0) * np.cos(yy / 4.0), (xx * yy) % 256], -1)
jin = np.clip(np.round(jin + rng.normal(0, 10, jin.shape)), 0, 255).astype(np.uint8)
jpeg = {}
for q in (43, 7):
    b = io.BytesIO()
    Image.fromarray(jin).save(b, 'JPEG', quality=q, subsampling=2)
    jpeg[str(q)] = np.asarray(Image.open(io.BytesIO(b.getvalue())).convert('RGB')).ravel().tolist()

# JPEG 2000: PIL's OpenJPEG (2.5.x): J2K codestream, 9/7 irreversible, 6 resolutions (5 decompositions), RPCL,
# 64x64 code blocks, colour transform, one layer at the compression ratio: the settings of src/data/synth/jp2k.ts.
yy2, xx2 = np.mgrid[0:48, 0:64]
j2in = np.stack([(xx2 * 7 + yy2 * 3) % 256, 128 + 100 * np.sin(xx2 / 3.0) * np.cos(yy2 / 4.0), (xx2 * yy2) % 256], -1)
j2in = np.clip(np.round(j2in + rng.normal(0, 10, j2in.shape)), 0, 255).astype(np.uint8)
jp2k, jp2kSize = {}, {}
for r in (16, 120):
    b = io.BytesIO()
    Image.fromarray(j2in).save(b, 'JPEG2000', quality_mode='rates', quality_layers=[r], irreversible=True, num_resolutions=6,
                               progression='RPCL', codeblock_size=(64, 64), mct=1, no_jp2=True)
    jp2kSize[str(r)] = len(b.getvalue())
    jp2k[str(r)] = np.asarray(Image.open(io.BytesIO(b.getvalue())).convert('RGB')).ravel().tolist()

# Tone curves: MATLAB spline (not-a-knot) = scipy CubicSpline(bc_type='not-a-knot'), clamped to [0, 1];
# three knots = the interpolating parabola.
from scipy.interpolate import CubicSpline
tx = np.linspace(0, 1, 101)
curves = {}
for a in (0.3, 0.15, 0.0, -0.4, -0.6):
    cs = CubicSpline([0, 0.3, 0.5, 0.7, 1], [0, 0.25 - a / 4, 0.5, 0.75 + a / 4, 1], bc_type='not-a-knot')
    curves['contrast %g' % a] = np.clip(cs(tx), 0, 1).tolist()
for m in (0.55, 1.05, 0.1):
    curves['mid %g' % m] = np.clip(np.polyval(np.polyfit([0, 0.5, 1], [0, m, 1], 2), tx), 0, 1).tolist()

out = {
    'curves': curves,
    'jp2kIn': j2in.ravel().tolist(),
    'jp2kShape': [48, 64],
    'jp2k': jp2k,
    'jp2kSize': jp2kSize,
    'jpegIn': jin.ravel().tolist(),
    'jpegShape': [24, 32],
    'jpeg': jpeg,
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
