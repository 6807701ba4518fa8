/** The fused LayerNorm primitive: gradient vs float64 finite differences, ORT forward/backward vs the reference. */
import { test } from 'node:test';
import { checkOp } from '../engine/gradcheck.js';
import { fusedLayerNorm } from '../../src/models/backbones/fused-layer-norm.js';

test('fused layer norm (x, weight, bias)', () => checkOp([{ shape: [2, 3, 5] }, { shape: [5] }, { shape: [5] }], (x, w, b) => fusedLayerNorm(x, w, b, 1e-5)));
