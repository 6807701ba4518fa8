"""PyTorch side of bench/models.ts: full-size YOTO (Swin-T per-stage norms + the spec body of yoto_ref.py, five
224 crops per image, NR mode as the official code: the shared path computed twice) and the CVRKD-IQA student (ResNet-50 +
reducers + mixers of the spec, 10 LQ + 10 reference patches per image). Eval mode, no grad, BENCH_THREADS threads.
Reads JSON lines {"model", "reps"}; replies {"ms": [...]} per image.
"""
import json, os, sys, time
import torch
sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
torch.set_default_dtype(torch.float32)
import yoto_ref, cvrkd_ref  # noqa: E402  (they set float64 as default; reset below)
from backbone_fixtures import FULL  # noqa: E402
torch.set_default_dtype(torch.float32)
torch.set_num_threads(int(os.environ.get('BENCH_THREADS', '2')))


class YotoFull(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = FULL['swin_tiny_patch4_window7_224'](per_stage=True)
        self.body = yoto_ref.Body([96, 192, 384, 768], 768, 224)

    def forward(self, x):
        f = self.encoder(x)
        return self.body(f, None, 'NR')


class CvrkdFull(cvrkd_ref.Net):
    def __init__(self):
        super().__init__(10, 64, 256, 9, 7)
        self.feature_extractor = FULL['resnet50']()
        for i, c in enumerate([256, 512, 1024, 2048]):
            setattr(self, f'lda{i+1}_process', torch.nn.Sequential(torch.nn.Conv2d(c, 64, 1), torch.nn.AdaptiveAvgPool2d((7, 7))))

    def forward(self, lq, ref):
        b, p, c, h, w = lq.shape
        fl = self.feature_extractor(lq.reshape(b * p, c, h, w))[1:]
        fr = self.feature_extractor(ref.reshape(b * p, c, h, w))[1:]
        lqs, diffs = [], []
        for i in range(4):
            red = getattr(self, f'lda{i+1}_process')
            a = red(fl[i]).reshape(b, -1, 7, 7)
            diffs.append(red(fr[i]).reshape(b, -1, 7, 7) - a)
            lqs.append(a)
        elq, _ = self.MLP_encoder_lq(torch.cat(lqs, 1))
        ediff, _ = self.MLP_encoder_diff(torch.cat(diffs, 1))
        return self.regressor(torch.cat([elq, ediff], 1))


def build(name):
    if name == 'yoto':
        m = YotoFull().float().eval()
        return m, lambda: m(torch.rand(5, 3, 224, 224))
    m = CvrkdFull().float().eval()
    return m, lambda: m(torch.rand(1, 10, 3, 224, 224), torch.rand(1, 10, 3, 224, 224))


def main():
    models = {}
    for line in sys.stdin:
        req = json.loads(line)
        if req['model'] not in models:
            models[req['model']] = build(req['model'])
        _, run = models[req['model']]
        ms = []
        with torch.inference_mode():
            run()
            for _ in range(req['reps']):
                t = time.perf_counter(); run(); ms.append((time.perf_counter() - t) * 1000)
        print(json.dumps({'ms': ms}), flush=True)


if __name__ == '__main__':
    main()
