"""Fixture for MS-GMSD / MS-GMSDc: piq v0.8.0 `multi_scale_gmsd` (float64) on small seeded images, odd and even sizes.
Writes test/fixtures/metrics/ms_gmsd_piq.json. Not run in CI.
Usage: PIQ_SRC=/path/to/piq-0.8.0-source python3 tools/ms_gmsd_piq_fixture.py
(piq's package __init__ imports torchvision models; only its gmsd module is loaded, from PIQ_SRC/piq.)"""
import json, os, sys, types
import numpy as np, torch

pkg = types.ModuleType('piq'); pkg.__path__ = [os.path.join(os.environ['PIQ_SRC'], 'piq')]; sys.modules['piq'] = pkg
from piq.gmsd import multi_scale_gmsd  # noqa: E402

rng = np.random.default_rng(11)
cases = []
for (h, w) in [(37, 45), (48, 40)]:
    yy, xx = np.mgrid[0:h, 0:w]
    base = 120 + 70 * np.sin(xx / 4.0) * np.cos(yy / 6.0)
    ref = np.clip(np.stack([base, 0.7 * base + 40, 255 - base]) + rng.normal(0, 10, (3, h, w)), 0, 255).round()
    dist = np.clip(ref + rng.normal(0, 18, (3, h, w)) + np.array([8, -5, 3])[:, None, None], 0, 255).round()
    t = lambda a: torch.from_numpy(a)[None].double()
    cases.append({
        "width": w, "height": h, "ref": ref.astype(int).ravel().tolist(), "dist": dist.astype(int).ravel().tolist(),
        "ms_gmsd": float(multi_scale_gmsd(t(dist), t(ref), data_range=255.)),
        "ms_gmsdc": float(multi_scale_gmsd(t(dist), t(ref), data_range=255., chromatic=True)),
        "ms_gmsd_grey": float(multi_scale_gmsd(t(dist[1:2]), t(ref[1:2]), data_range=255.)),
    })
json.dump({"piq": "0.8.0 (9948a52)", "cases": cases}, open("test/fixtures/metrics/ms_gmsd_piq.json", "w"))
print([{k: v for k, v in c.items() if not isinstance(v, list)} for c in cases])
