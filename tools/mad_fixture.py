"""Independent numpy re-implementation of MAD_index.m (Larson & Chandler, 2011 release) used to generate
test/fixtures/metrics/mad.json: a small seeded image pair and its MAD, d_detect, d_appear.
Written from the MATLAB source (MAD_index.m, ical_stat.c, ical_std.c).
Not run in CI.  Usage: python3 tools/mad_fixture.py
"""
import json
import numpy as np

BS = 16


def make_csf(M, N, nfreq):
    # make_csf(M, N, 32)' : rows r -> xv, cols c -> yv, both divided by N
    xv = (np.arange(M) - M / 2 + 0.5)[:, None] * np.ones((1, N))
    yv = np.ones((M, 1)) * (np.arange(N) - N / 2 + 0.5)[None, :]
    plane = (xv + 1j * yv) / N * 2 * nfreq
    rad = np.abs(plane)
    s = (1 - 0.7) / 2 * np.cos(4 * np.angle(plane)) + (1 + 0.7) / 2
    rad = rad / s
    csf = 2.6 * (0.0192 + 0.114 * rad) * np.exp(-(0.114 * rad) ** 1.1)
    csf[rad < 7.8909] = 0.9809
    return csf


def block_positions(H, W):
    return [(by, bx) for by in range(0, H - 15, 4) for bx in range(0, W - 15, 4)]


def ical_std(err, ref):
    # ical_std.c (Netflix/vmaf matlab/STMAD_2011_MatlabCode/ical_std.c), loops over block origins
    H, W = ref.shape
    s2, s1, m1, tmp = np.zeros((H, W)), np.zeros((H, W)), np.zeros((H, W)), np.zeros((H, W))
    for by, bx in block_positions(H, W):
        s2[by:by + 4, bx:bx + 4] = err[by:by + 16, bx:bx + 16].std(ddof=1)
        m1[by:by + 4, bx:bx + 4] = ref[by:by + 16, bx:bx + 16].mean()
        tmp[by:by + 4, bx:bx + 4] = ref[by:by + 8, bx:bx + 8].std(ddof=1)
    for by, bx in block_positions(H, W):
        cands = [tmp[y, x] for y in (by, by + 5) for x in (bx, bx + 5) if y < H - 15 and x < W - 15]
        s1[by:by + 4, bx:bx + 4] = min([tmp[by, bx]] + cands)
    return s2, s1, m1


def ical_stat(x):
    H, W = x.shape
    sd, sk, kt = np.zeros((H, W)), np.zeros((H, W)), np.zeros((H, W))
    for by, bx in block_positions(H, W):
        b = x[by:by + 16, bx:bx + 16]
        d = b - b.mean()
        st = np.sqrt((d ** 2).mean())
        sd[by:by + 4, bx:bx + 4] = np.sqrt((d ** 2).sum() / 255)
        if st != 0:
            sk[by:by + 4, bx:bx + 4] = (d ** 3).mean() / st ** 3
            kt[by:by + 4, bx:bx + 4] = (d ** 4).mean() / st ** 4
    return sd, sk, kt


def inner_rms(mp):
    m = mp[BS:-BS - 1, BS:-BS - 1]
    return np.sqrt((m ** 2).mean())


def box_same(x, k=16):
    # filter2(ones(k)/k^2, x, 'same'): zero padding, window starts floor((k-1)/2) before
    a = (k - 1) // 2
    p = np.pad(x, ((a, k - 1 - a), (a, k - 1 - a)))
    c = np.cumsum(np.cumsum(np.pad(p, ((1, 0), (1, 0))), 0), 1)
    H, W = x.shape
    s = c[k:k + H, k:k + W] - c[0:H, k:k + W] - c[k:k + H, 0:W] + c[0:H, 0:W]
    return s / k ** 2


def hi_index(ref_u8, dst_u8):
    k = 0.02874
    lut = k * np.arange(256.0) ** (2.2 / 3)
    ref = lut[np.minimum(ref_u8 + 1, 255) - 1]   # uint8 saturation of ref_img + 1
    dst = lut[np.minimum(dst_u8 + 1, 255) - 1]
    M, N = ref.shape
    csf = make_csf(M, N, 32)
    f = lambda x: np.real(np.fft.ifft2(np.fft.ifftshift(np.fft.fftshift(np.fft.fft2(x)) * csf)))
    ref, dst = f(ref), f(dst)
    s2, s1, m1 = ical_std(dst - ref, ref)
    with np.errstate(divide='ignore', invalid='ignore'):
        ci_ref = np.log(s1 / m1)
        ci_dst = np.log(s2 / m1)
    ci_dst[m1 < 0.5] = -np.inf
    msk = np.zeros_like(ci_dst)
    with np.errstate(invalid='ignore'):
        i1 = (ci_ref > -5) & (ci_dst > (ci_ref + 5) - 5)
        i2 = (ci_ref <= -5) & (ci_dst > -5)
    msk[i1] = ci_dst[i1] - ((ci_ref[i1] + 5) - 5)
    msk[i2] = ci_dst[i2] + 5
    lmse = box_same((ref_u8.astype(float) - dst_u8.astype(float)) ** 2)
    return inner_rms(msk * lmse) * 200


def gabor(im):
    rows, cols = im.shape
    F = np.fft.fft2(im)
    x = np.ones((rows, 1)) * (np.arange(-cols / 2, cols / 2) / (cols / 2))[None, :]
    y = (np.arange(-rows / 2, rows / 2) / (rows / 2))[:, None] * np.ones((1, cols))
    radius = np.sqrt(x ** 2 + y ** 2)
    rc, cc = int(np.floor(rows / 2 + 1 + 0.5)) - 1, int(np.floor(cols / 2 + 1 + 0.5)) - 1
    radius[rc, cc] = 1
    lr = np.log(radius)
    theta = np.arctan2(-y, x)
    st, ct = np.sin(theta), np.cos(theta)
    tsig = np.pi / 4 / 1.5
    out = {}
    for o in range(4):
        ang = o * np.pi / 4
        ds = st * np.cos(ang) - ct * np.sin(ang)
        dc = ct * np.cos(ang) + st * np.sin(ang)
        spread = np.exp(-np.abs(np.arctan2(ds, dc)) ** 2 / (2 * tsig ** 2))
        for s in range(5):
            rfo = 1.0 / (3 * 3 ** s) / 0.5
            lg = np.exp((lr - np.log(rfo)) ** 2 / (-(2 * np.log(0.55) ** 2)))
            lg[rc, cc] = 0
            out[(s, o)] = np.fft.ifft2(F * np.fft.fftshift(lg * spread))
    return out


def lo_index(ref, dst):
    gr, gd = gabor(ref), gabor(dst)
    w = np.array([0.5, 0.75, 1, 5, 6]) / 13.25
    mp = np.zeros(ref.shape)
    for s in range(5):
        for o in range(4):
            a, b = ical_stat(np.abs(gr[(s, o)])), ical_stat(np.abs(gd[(s, o)]))
            mp += w[s] * (np.abs(a[0] - b[0]) + 2 * np.abs(a[1] - b[1]) + np.abs(a[2] - b[2]))
    return inner_rms(mp)


def mad(ref_u8, dst_u8):
    hi = hi_index(ref_u8, dst_u8)
    lo = lo_index(ref_u8.astype(float), dst_u8.astype(float))
    b1, b2 = np.exp(-2.55 / 3.35), 1 / (np.log(10) * 3.35)
    sig = 1 / (1 + b1 * hi ** b2)
    return lo ** (1 - sig) * hi ** sig, hi, lo


def case(H, W, seed):
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:H, 0:W]
    ref = 120 + 25 * np.sin(xx / 9.0) * np.cos(yy / 11.0) + 2 * rng.standard_normal((H, W))
    ref[:, :10] = 255  # a saturated strip exercises the uint8 LUT quirk
    ref = np.clip(np.round(ref), 0, 255).astype(np.int64)
    dst = np.clip(np.round(ref + 12 * rng.standard_normal((H, W))), 0, 255).astype(np.int64)
    score, hi, lo = mad(ref, dst)
    print(H, W, score, hi, lo)
    return {'width': W, 'height': H, 'ref': ref.ravel().tolist(), 'dst': dst.ravel().tolist(),
            'mad': score, 'hi': hi, 'lo': lo}


def main():
    # 72x88: sizes q*2^k (fast DFT path), multiples of 4; 61x75: prime / large odd factor (Bluestein), not multiples
    # of 4 (partial 4x4 cells at the border)
    json.dump({'source': 'tools/mad_fixture.py (numpy, from MAD_index.m 2011)', 'cases': [case(72, 88, 7), case(61, 75, 8)]},
              open('test/fixtures/metrics/mad.json', 'w'))


if __name__ == '__main__':
    main()
