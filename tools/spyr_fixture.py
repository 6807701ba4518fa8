"""Fixture for src/signal/steerable-pyramid.ts: matlabPyrTools buildSpyr(im, 2, 'sp5Filters', 'reflect1') computed
with numpy following the non-MEX MATLAB path (corrDn.m -> rconv2.m: mirror padding without repeating the edge, then
conv2 'valid' with the 180-degree-rotated filter), on a seeded 37x45 image (odd sizes).
Filter taps are parsed from sp5Filters.m of LabForComputationalVision/matlabPyrTools (MIT), path given as argv[1].
Writes test/fixtures/signal/spyr.json with, per band, sum, sum of squares and a sin-weighted sum.
Usage: python3 tools/spyr_fixture.py /path/to/sp5Filters.m   (not run in CI)
"""
import json
import re
import sys
import numpy as np


def parse(path):
    s = open(path).read()

    def grab(name):
        m = re.search(name + r'\s*=\s*(2\*)?\[(.*?)\]', s, re.S)
        rows = [r for r in re.split(r';|\n', m.group(2).replace('...', '')) if r.strip()]
        a = np.array([[float(x) for x in r.split()] for r in rows])
        return a * (2 if m.group(1) else 1)

    m = re.search(r"bfilts = \[(.*?)\]'", s, re.S)
    rows = [r for r in m.group(1).replace('...', '').split(';') if r.strip()]
    bfilts = np.array([[float(x) for x in r.split()] for r in rows]).T  # 49 x 6, as MATLAB after the transpose
    return grab('hi0filt'), grab('lo0filt'), grab('lofilt'), bfilts


def rconv2(large, small):
    ly, lx = large.shape
    sy, sx = small.shape
    sy2, sx2 = (sy - 1) // 2, (sx - 1) // 2
    # MATLAB 1-based ranges sy-sy2:-1:2 and ly-1:-1:ly-sy2 -> 0-based
    top = list(range(sy - sy2 - 1, 0, -1))
    bot = list(range(ly - 2, ly - sy2 - 2, -1))
    left = list(range(sx - sx2 - 1, 0, -1))
    right = list(range(lx - 2, lx - sx2 - 2, -1))
    ri = top + list(range(ly)) + bot
    ci = left + list(range(lx)) + right
    cl = large[np.ix_(ri, ci)]
    # conv2(cl, small, 'valid')
    H, W = cl.shape[0] - sy + 1, cl.shape[1] - sx + 1
    out = np.zeros((H, W))
    fk = small[::-1, ::-1]
    for j in range(sy):
        for i in range(sx):
            out += fk[j, i] * cl[j:j + H, i:i + W]
    return out


def corrDn(im, filt, step=1, start=0):
    return rconv2(im, filt[::-1, ::-1])[start::step, start::step]


def main():
    hi0, lo0, lo, bfilts = parse(sys.argv[1])
    rng = np.random.default_rng(11)
    H, W = 37, 45
    yy, xx = np.mgrid[0:H, 0:W]
    im = 100 + 50 * np.sin(xx / 3.0 + yy / 5.0) + 20 * rng.standard_normal((H, W))
    bands = {'hi0': corrDn(im, hi0)}
    cur = corrDn(im, lo0)
    for lev in range(2):
        for b in range(6):
            f = bfilts[:, b].reshape(7, 7, order='F')  # MATLAB reshape is column-major
            bands[f'L{lev}B{b}'] = corrDn(cur, f)
        cur = corrDn(cur, lo, 2, 0)
    bands['lo'] = cur

    def summary(a):
        w = np.sin(np.arange(a.size)).reshape(a.shape)
        return {'w': a.shape[1], 'h': a.shape[0], 'sum': a.sum(), 'sumsq': (a ** 2).sum(), 'wsum': (a * w).sum()}

    out = {'source': 'tools/spyr_fixture.py (numpy, matlabPyrTools corrDn.m/rconv2.m semantics)', 'width': W,
           'height': H, 'image': im.ravel().tolist(), 'bands': {k: summary(v) for k, v in bands.items()}}
    json.dump(out, open('test/fixtures/signal/spyr.json', 'w'))
    print({k: v['sum'] for k, v in out['bands'].items()})


if __name__ == '__main__':
    main()
