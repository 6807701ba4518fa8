"""PyTorch (CPU) side of `npm run bench`: times torchmetrics on the same generated images.

Reads a JSON job on stdin: {"rounds": R, "images": [{"size", "width", "height", "dist", "ref"}],
"metrics": [names]} where dist/ref are raw planar RGB uint8 files (3*H*W bytes). Prints one JSON object:
{"torch": version, "torchmetrics": version, "threads": 2, "results": [{"size", "metric", "ms", "value"}]}.
Timing: torch.set_num_threads(2), float32 tensors (torchmetrics' usual dtype), one warm-up call, interleaved rounds,
median. Conversion to tensors and grey is outside the timed call, like decoding on the JS side.
Metric names are the toolkit's registry names that torchmetrics implements with the same definition:
  psnr       -> peak_signal_noise_ratio(data_range=255) on RGB
  ssim_index -> structural_similarity_index_measure(gaussian 11, sigma 1.5, data_range=255) on rounded rgb2gray
                (torchmetrics pads and crops, i.e. 'valid'; it has no ssim.m downsampling)
  ms_ssim    -> multiscale_structural_similarity_index_measure(kernel 11, sigma 1.5, data_range=255) on the same grey
  vifp       -> visual_information_fidelity (pixel-domain VIF, sigma_n_sq = 2) on the same grey
"""
import json, sys, time, statistics

try:
    import torchvision  # noqa: F401  (torchmetrics imports it when installed)
except Exception:
    # A torchvision build that does not match torch fails at import; the metrics timed here never use it, so a stub
    # stands in for it to let torchmetrics import.
    import types, importlib.abc, importlib.machinery

    class _Stub(types.ModuleType):
        def __getattr__(self, name):
            if name.startswith('__'):
                raise AttributeError(name)
            return _Stub(f"{self.__name__}.{name}")

    class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
        def find_spec(self, name, path, target=None):
            if name == 'torchvision' or name.startswith('torchvision.'):
                return importlib.machinery.ModuleSpec(name, self, is_package=True)

        def create_module(self, spec):
            return _Stub(spec.name)

        def exec_module(self, module):
            module.__path__ = []

    for k in [k for k in sys.modules if k == 'torchvision' or k.startswith('torchvision.')]:
        del sys.modules[k]
    sys.meta_path.insert(0, _Finder())

import numpy as np
import torch
import torchmetrics
from torchmetrics.functional.image import (
    multiscale_structural_similarity_index_measure as tm_msssim,
    peak_signal_noise_ratio as tm_psnr,
    structural_similarity_index_measure as tm_ssim,
    visual_information_fidelity as tm_vif,
)

torch.set_num_threads(2)
job = json.load(sys.stdin)
rounds = int(job["rounds"])


def load(path, w, h):
    return np.fromfile(path, dtype=np.uint8).reshape(3, h, w).astype(np.float64)


def grey(rgb):
    # MATLAB rgb2gray on uint8 (rounded), as the toolkit's ssim/ms_ssim
    y = 0.298936021293775 * rgb[0] + 0.587043074451121 * rgb[1] + 0.114020904255103 * rgb[2]
    return np.floor(y + 0.5)


FUNCS = {
    "psnr": lambda d, r, gd, gr: tm_psnr(d, r, data_range=255.0),
    "ssim_index": lambda d, r, gd, gr: tm_ssim(gd, gr, gaussian_kernel=True, kernel_size=11, sigma=1.5, data_range=255.0),
    "ms_ssim": lambda d, r, gd, gr: tm_msssim(gd, gr, gaussian_kernel=True, kernel_size=11, sigma=1.5, data_range=255.0),
    "vifp": lambda d, r, gd, gr: tm_vif(gd, gr),
}

results = []
for im in job["images"]:
    w, h = im["width"], im["height"]
    d, r = load(im["dist"], w, h), load(im["ref"], w, h)
    t = lambda a: torch.from_numpy(a.astype(np.float32))[None]
    td, tr = t(d), t(r)
    gd, gr = t(grey(d)[None]), t(grey(r)[None])
    names = [m for m in job["metrics"] if m in FUNCS]
    values = {m: float(FUNCS[m](td, tr, gd, gr)) for m in names}  # warm-up
    times = {m: [] for m in names}
    cpu = {m: [] for m in names}
    with torch.inference_mode():
        for k in range(rounds):
            order = names[k % len(names):] + names[: k % len(names)] if names else []
            for m in order:
                c0, t0 = time.process_time(), time.perf_counter()
                FUNCS[m](td, tr, gd, gr)
                times[m].append((time.perf_counter() - t0) * 1000)
                cpu[m].append((time.process_time() - c0) * 1000)
    for m in names:
        results.append({"size": im["size"], "metric": m, "ms": statistics.median(times[m]), "cpu_ms": statistics.median(cpu[m]), "value": values[m]})

print(json.dumps({"torch": torch.__version__, "torchmetrics": torchmetrics.__version__, "threads": torch.get_num_threads(), "dtype": "float32", "results": results}))
