"""PyTorch CUDA side of bench/webgpu.ts: the same workloads as the WebGPU/CPU rows, on the GPU, float32, PyTorch's
default math (cuDNN may use TF32 for convolutions: torch.backends.cudnn.allow_tf32 defaults to True; matmuls stay
full fp32), cudnn.benchmark on. Models are the spec references already used by the CPU benchmarks:
bench/torch_engine.py (ResNet-18/50, 1-output fc, Adam train step), tools/backbone_fixtures.py (Swin-T) and
tools/models/bench_models_torch.py (full YOTO NR, CVRKD student), tools/gen_nr_models_parity.py (full QFM-IQM and
MFENet, as bench/nr-models.ts). Random weights.

Reads JSON lines {"work": name, "reps": n}; replies {"ms": [...]} (each run synchronised) or {"error": "..."}.
The first line answered is {"torch": version, "cuda": available, "device": name}.
"""
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tools'))
sys.path.insert(0, os.path.join(HERE, '..', 'tools', 'models'))
sys.path.insert(0, HERE)
import torch_engine  # noqa: E402
import bench_models_torch  # noqa: E402  (imports backbone_fixtures, which turns grad off globally)
from backbone_fixtures import FULL  # noqa: E402

torch.set_grad_enabled(True)
torch.set_default_dtype(torch.float32)
torch.backends.cudnn.benchmark = True
dev = torch.device('cuda' if torch.cuda.is_available() else 'cpu')


def build(work):
    torch.manual_seed(0)
    if work in ('resnet18-train', 'resnet50-train'):
        net = (torch_engine.ResNet(torch_engine.Basic, [2, 2, 2, 2]) if work.startswith('resnet18') else torch_engine.ResNet(torch_engine.Bottle, [3, 4, 6, 3])).to(dev).train()
        x, t = torch.randn(8, 3, 224, 224, device=dev), torch.randn(8, 1, device=dev)
        opt = torch.optim.Adam(net.parameters(), lr=1e-4)

        def step():
            opt.zero_grad()
            F.mse_loss(net(x), t).backward()
            opt.step()
        return step
    if work == 'resnet50-infer':
        net, x = torch_engine.ResNet(torch_engine.Bottle, [3, 4, 6, 3]).to(dev).eval(), torch.randn(8, 3, 224, 224, device=dev)
    elif work == 'swin-t-infer':
        net, x = FULL['swin_tiny_patch4_window7_224']().to(dev).eval(), torch.randn(8, 3, 224, 224, device=dev)
    elif work == 'yoto':
        net, x = bench_models_torch.YotoFull().float().to(dev).eval(), torch.rand(5, 3, 224, 224, device=dev)
    elif work in ('qfm-iqm', 'mfenet'):
        from gen_nr_models_parity import Mfenet, Qfm  # the full-size references of bench:nr-models
        net = (Qfm(384, 12, 6, 224, 16, 6, 4) if work == 'qfm-iqm' else Mfenet([64, 128, 320, 512], [3, 3, 12, 3], (32, 64), 2, [3, 4, 6, 3], 64, 256, 25, bottleneck=True))
        net, x = net.float().to(dev).eval(), torch.rand(10, 3, 224, 224, device=dev)
    elif work == 'cvrkd':
        net = bench_models_torch.CvrkdFull().float().to(dev).eval()
        lq, ref = torch.rand(1, 10, 3, 224, 224, device=dev), torch.rand(1, 10, 3, 224, 224, device=dev)

        def run2():
            with torch.inference_mode():
                net(lq, ref)
        return run2
    else:
        raise ValueError(f'unknown work {work}')

    def run():
        # torch.device(dev): yoto_ref builds its segment-embedding indices with torch.zeros(...) on the default device
        with torch.inference_mode(), torch.device(dev):
            net(x)
    return run


def sync():
    if dev.type == 'cuda':
        torch.cuda.synchronize()


def main():
    name = torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'none'
    print(json.dumps({'torch': torch.__version__, 'cuda': torch.cuda.is_available(), 'device': name}), flush=True)
    cache = {}
    for line in sys.stdin:
        req = json.loads(line)
        try:
            if req['work'] not in cache:
                fn = build(req['work'])
                for _ in range(3):  # warm-up: cuDNN autotuning, allocator
                    fn()
                sync()
                cache[req['work']] = fn
            fn = cache[req['work']]
            ms = []
            for _ in range(req['reps']):
                sync()
                t0 = time.perf_counter()
                fn()
                sync()
                ms.append((time.perf_counter() - t0) * 1000)
            print(json.dumps({'ms': ms}), flush=True)
        except Exception as e:  # report and go on with the next workload
            print(json.dumps({'error': f'{type(e).__name__}: {e}'}), flush=True)


if __name__ == '__main__':
    main()
