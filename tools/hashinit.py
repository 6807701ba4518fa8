"""Deterministic tensors shared by the PyTorch fixture generators and the TypeScript tests (test/helpers/hash-init.ts).

value_i = (2 * fmix32(i * 0x9E3779B1 + seed * 0x85EBCA77 + 1) / 2^32 - 1) * bound, in float64 then float32.
fmix32 is MurmurHash3's finaliser. Projections use Rademacher vectors from the same hash, so large gradients can be
compared through 16 random projections instead of being stored (E[(r.d)^2] = |d|^2).
"""
import numpy as np

M = np.uint64(0xFFFFFFFF)


def fmix32(h):
    h = h & M
    h ^= h >> np.uint64(16)
    h = (h * np.uint64(0x85EBCA6B)) & M
    h ^= h >> np.uint64(13)
    h = (h * np.uint64(0xC2B2AE35)) & M
    h ^= h >> np.uint64(16)
    return h


def seeded_uniform(seed, n):
    """test/helpers/seeded-weights.ts seededUniform: fmix32(i + seed * 0x9E3779B9) / 2^32."""
    i = np.arange(n, dtype=np.uint64)
    return fmix32(i + np.uint64((seed * 0x9E3779B9) & 0xFFFFFFFF)).astype(np.float64) / 4294967296.0


def hash_uniform(n, seed):
    i = np.arange(n, dtype=np.uint64)
    h = fmix32(i * np.uint64(0x9E3779B1) + np.uint64(seed) * np.uint64(0x85EBCA77) + np.uint64(1))
    return h.astype(np.float64) / 4294967296.0


def hash_tensor(shape, seed, bound, offset=0.0):
    n = int(np.prod(shape)) if len(shape) else 1
    return ((2 * hash_uniform(n, seed) - 1) * bound + offset).astype(np.float32).reshape(shape)


def rademacher_bits(n):
    """One hash per element; bit j gives the sign of projection vector j."""
    i = np.arange(n, dtype=np.uint64)
    return fmix32(i * np.uint64(0x9E3779B1) + np.uint64(0xC2B2AE3D))


def rademacher(h, j):
    return np.where(((h >> np.uint64(j)) & np.uint64(1)) == 1, 1.0, -1.0)


N_PROJ = 16
N_SAMPLES = 8


def summary(a, seed):
    """norm, 16 Rademacher projections and 8 sampled elements of a flattened float64 array."""
    a = np.asarray(a, dtype=np.float64).ravel()
    n = a.size
    idx = (hash_uniform(N_SAMPLES, seed + 7777) * n).astype(np.int64)
    h = rademacher_bits(n)
    return {
        'norm': float(np.linalg.norm(a)),
        'proj': [float(rademacher(h, j) @ a) for j in range(N_PROJ)],
        'idx': [int(k) for k in idx],
        'samples': [float(a[k]) for k in idx],
    }
