"""PyTorch CPU side of bench/engine.ts. Reads JSON commands on stdin, one per line:
  {"model": "resnet18"|"resnet50", "mode": "infer"|"train", "batch": 8, "size": 224, "reps": 3}
and answers one JSON line {"times_ms": [...], "maxrss_mb": ...}. Two threads (torch.set_num_threads(2)).
Models: torchvision-layout ResNets with a 1-output fc; train step = forward + MSE + backward + Adam.step, BN in train
mode; inference = eval mode under no_grad. Models and optimisers are built once per (model, mode)."""
import json
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(2)


class Basic(nn.Module):
    expansion = 1

    def __init__(self, cin, p, s):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(cin, p, 3, s, 1, bias=False), nn.BatchNorm2d(p)
        self.conv2, self.bn2 = nn.Conv2d(p, p, 3, 1, 1, bias=False), nn.BatchNorm2d(p)
        self.downsample = nn.Sequential(nn.Conv2d(cin, p, 1, s, bias=False), nn.BatchNorm2d(p)) if s != 1 or cin != p else None

    def forward(self, x):
        h = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(h + (self.downsample(x) if self.downsample is not None else x))


class Bottle(nn.Module):
    expansion = 4

    def __init__(self, cin, p, s):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(cin, p, 1, bias=False), nn.BatchNorm2d(p)
        self.conv2, self.bn2 = nn.Conv2d(p, p, 3, s, 1, bias=False), nn.BatchNorm2d(p)
        self.conv3, self.bn3 = nn.Conv2d(p, 4 * p, 1, bias=False), nn.BatchNorm2d(4 * p)
        self.downsample = nn.Sequential(nn.Conv2d(cin, 4 * p, 1, s, bias=False), nn.BatchNorm2d(4 * p)) if s != 1 or cin != 4 * p else None

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        h = F.relu(self.bn2(self.conv2(h)))
        h = self.bn3(self.conv3(h))
        return F.relu(h + (self.downsample(x) if self.downsample is not None else x))


class ResNet(nn.Module):
    def __init__(self, block, counts):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64)
        cin, layers = 64, []
        for li, n in enumerate(counts):
            blocks = []
            for i in range(n):
                blocks.append(block(cin, 64 * 2 ** li, 2 if i == 0 and li > 0 else 1))
                cin = 64 * 2 ** li * block.expansion
            layers.append(nn.Sequential(*blocks))
        self.layer1, self.layer2, self.layer3, self.layer4 = layers
        self.fc = nn.Linear(cin, 1)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 3, 2, 1)
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


cache = {}


def setup(model, mode, batch, size):
    key = (model, mode, batch, size)
    if key not in cache:
        torch.manual_seed(0)
        net = ResNet(Basic, [2, 2, 2, 2]) if model == 'resnet18' else ResNet(Bottle, [3, 4, 6, 3])
        x = torch.randn(batch, 3, size, size)
        t = torch.randn(batch, 1)
        if mode == 'infer':
            net.eval()

            def fn():
                with torch.no_grad():
                    net(x)
        else:
            net.train()
            opt = torch.optim.Adam(net.parameters(), lr=1e-4)

            def fn():
                opt.zero_grad()
                F.mse_loss(net(x), t).backward()
                opt.step()
        fn()  # warm-up
        cache[key] = fn
    return cache[key]


def main():
    for line in sys.stdin:
        cmd = json.loads(line)
        fn = setup(cmd['model'], cmd['mode'], cmd['batch'], cmd['size'])
        times = []
        for _ in range(cmd['reps']):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({'times_ms': times, 'maxrss_mb': rss, 'torch': torch.__version__}), flush=True)


if __name__ == '__main__':
    main()
