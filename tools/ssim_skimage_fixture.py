"""Fixture for the `ssim_skimage` variant: scikit-image structural_similarity on small seeded images.
Writes test/fixtures/metrics/ssim_skimage.json. Not run in CI: python3 tools/ssim_skimage_fixture.py"""
import json, numpy as np, skimage
from skimage.metrics import structural_similarity as ssim

rng = np.random.default_rng(7)
H, W = 37, 45
yy, xx = np.mgrid[0:H, 0:W]
base = 128 + 60 * np.sin(xx / 5.0) * np.cos(yy / 7.0)
ref = np.clip(np.stack([base, base * 0.8 + 30, 255 - base], -1) + rng.normal(0, 8, (H, W, 3)), 0, 255).round().astype(np.uint8)
dist = np.clip(ref.astype(float) + rng.normal(0, 20, (H, W, 3)), 0, 255).round().astype(np.uint8)
g_ref, g_dist = ref[..., 0], dist[..., 1]
out = {
    "skimage": skimage.__version__,
    "width": W, "height": H,
    "ref_rgb": ref.transpose(2, 0, 1).ravel().tolist(), "dist_rgb": dist.transpose(2, 0, 1).ravel().tolist(),
    "ref_grey": g_ref.ravel().tolist(), "dist_grey": g_dist.ravel().tolist(),
    "grey_default": ssim(g_dist, g_ref, data_range=255),
    "rgb_default": ssim(dist, ref, data_range=255, channel_axis=-1),
    "grey_gaussian": ssim(g_dist, g_ref, data_range=255, gaussian_weights=True, sigma=1.5, use_sample_covariance=False),
}
json.dump(out, open("test/fixtures/metrics/ssim_skimage.json", "w"))
print({k: v for k, v in out.items() if not isinstance(v, list)})
