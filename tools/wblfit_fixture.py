"""Weibull MLE fixture for wblfit (MATLAB wblfit = 2-parameter MLE, location 0). The shape is the root of the
likelihood equation sum(x^b ln x)/sum(x^b) - 1/b - mean(ln x) = 0 solved with scipy brentq to 1e-15, the scale
mean(x^b)^(1/b); scipy's weibull_min.fit(floc=0) is also recorded (its optimiser stops about 1e-5 short).
Writes test/fixtures/nr/wblfit.json. Not run in CI."""
import json
import numpy as np
from scipy.stats import weibull_min
from scipy.optimize import brentq

rng = np.random.default_rng(123)
cases = []
for shape, scale, n in [(0.7, 3.0, 500), (1.3, 20.0, 2000), (2.5, 0.5, 300), (5.0, 100.0, 1000)]:
    x = weibull_min.rvs(shape, scale=scale, size=n, random_state=rng)
    c, loc, s = weibull_min.fit(x, floc=0)
    z = np.log(x)
    g = lambda b: np.sum(x**b * z) / np.sum(x**b) - 1 / b - z.mean()
    b = brentq(g, 0.05, 50, xtol=1e-15, rtol=1e-15)
    a = np.mean(x**b) ** (1 / b)
    cases.append({"x": [float(v) for v in x], "scale": float(a), "shape": float(b), "scipy_fit": [float(s), float(c)]})
json.dump({"source": "exact MLE root (scipy brentq) ; scipy " + __import__("scipy").__version__, "cases": cases},
          open("test/fixtures/nr/wblfit.json", "w"))
