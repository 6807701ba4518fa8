#!/usr/bin/env python3
"""Reference values for src/eval/correlation.ts and logistic.ts, computed with scipy.

Writes test/fixtures/eval/correlation-scipy.json. Not run in CI; re-run by hand:
    python3 tools/correlation-fixtures.py
Each case: x (prediction), y (MOS), spearmanr, kendalltau (tau-b), pearsonr, and both logistic fits
(scipy.optimize.curve_fit, method 'lm') with the fitted parameters, PLCC and RMSE of the fitted curve.
  logistic4 (CVRKD-IQA convert_obj_score): f(x) = (a - b) / (1 + exp(-(x - c) / |d|)) + b,
            p0 = [max(y), min(y), mean(x), 1], ftol=1e-8, maxfev=500000.
  logistic5 (VQEG, Sheikh et al. 2006; init as pyiqa / DBCNN verify_performance.m):
            Q(x) = b1 * (1/2 - 1/(1 + exp(b2 * (x - b3)))) + b4 * x + b5, p0 = [10, 0, mean(y), 0.1, 0.1], maxfev=100000.
"""
import json, sys
import numpy as np, scipy
from scipy import stats
from scipy.optimize import curve_fit


def logistic4(x, a, b, c, d):
    return (a - b) / (1 + np.exp(-(x - c) / np.abs(d))) + b


def logistic5(x, b1, b2, b3, b4, b5):
    return b1 * (0.5 - 1 / (1 + np.exp(b2 * (x - b3)))) + b4 * x + b5


def case(name, x, y):
    x = np.asarray(x, dtype=np.float64); y = np.asarray(y, dtype=np.float64)
    out = {'name': name, 'x': x.tolist(), 'y': y.tolist()}
    out['srcc'] = float(stats.spearmanr(x, y)[0])
    out['krcc'] = float(stats.kendalltau(x, y)[0])
    out['plcc'] = float(stats.pearsonr(x, y)[0])
    out['rmse'] = float(np.sqrt(np.mean((x - y) ** 2)))
    p4, _ = curve_fit(logistic4, x, y, p0=[np.max(y), np.min(y), np.mean(x), 1.0], ftol=1e-8, maxfev=500000)
    f4 = logistic4(x, *p4)
    out['logistic4'] = {'params': p4.tolist(), 'plcc': float(stats.pearsonr(f4, y)[0]),
                        'rmse': float(np.sqrt(np.mean((f4 - y) ** 2))), 'sse': float(np.sum((f4 - y) ** 2))}
    p5, _ = curve_fit(logistic5, x, y, p0=[10, 0, np.mean(y), 0.1, 0.1], maxfev=100000)
    f5 = logistic5(x, *p5)
    out['logistic5'] = {'params': p5.tolist(), 'plcc': float(stats.pearsonr(f5, y)[0]),
                        'rmse': float(np.sqrt(np.mean((f5 - y) ** 2))), 'sse': float(np.sum((f5 - y) ** 2))}
    return out


rng = np.random.default_rng(20240601)
cases = []
# 1. smooth monotone (sigmoid) relation plus noise, MOS 1..5, prediction in [0, 1]
x = rng.uniform(0, 1, 120)
y = 1 + 4 / (1 + np.exp(-(x - 0.5) / 0.12)) + rng.normal(0, 0.25, x.size)
cases.append(case('sigmoid-noise-120', x, y))
# 2. heavy ties in both vectors (integer ratings and quantised predictions)
x = np.round(rng.uniform(0, 10, 60))
y = np.clip(np.round(x / 2 + rng.normal(0, 1.2, x.size)), 0, 5)
cases.append(case('ties-60', x, y))
# 3. negative relation (DMOS-like target), PSNR-like prediction scale
x = rng.uniform(20, 45, 80)
y = 100 - 100 / (1 + np.exp(-(x - 32) / 3)) + rng.normal(0, 6, x.size)
cases.append(case('negative-psnr-dmos-80', x, y))
# 4. tiny vector with ties in x only and a linear trend
x = np.array([0.1, 0.2, 0.2, 0.4, 0.5, 0.5, 0.5, 0.9])
y = np.array([1.0, 1.4, 2.1, 2.0, 3.3, 2.9, 3.1, 4.2])
cases.append(case('small-8', x, y))
# 5. large values, weak correlation
x = rng.normal(1500, 200, 200)
y = 0.3 * (x - 1500) / 200 + rng.normal(0, 1, x.size)
cases.append(case('weak-200', x, y))
# 6. many samples, many ties (exercises the O(n log n) tau-b counting)
x = np.round(rng.normal(0, 1, 1500), 1)
y = np.round(0.6 * x + rng.normal(0, 0.8, x.size))
cases.append(case('ties-1500', x, y))

json.dump({'generator': f'tools/correlation-fixtures.py (scipy {scipy.__version__}, numpy {np.__version__})',
           'cases': cases}, open(sys.argv[1] if len(sys.argv) > 1 else 'test/fixtures/eval/correlation-scipy.json', 'w'), indent=1)
for c in cases:
    print(c['name'], c['srcc'], c['krcc'], c['plcc'], c['logistic4']['plcc'], c['logistic5']['plcc'], c['logistic5']['params'])
