/**
 * The execution provider of a training run (config keys `ep` and `epStrict`, CLI `iqa train --ep webgpu`): 'cpu'
 * (default) or 'webgpu' (onnxruntime's WebGPU EP: Dawn over Vulkan on Linux, D3D12 on Windows, Metal on macOS).
 * Unless strict, a provider that cannot start or fails on the first run falls back to the CPU with a warning
 * (src/engine/runtime/session.ts); the provider each graph ran on is reported by the trainer.
 */
import type { ExecutionProvider, SessionOptions } from '../engine/runtime/session.js';
import { expected } from '../tensor/errors.js';

export interface RuntimeConfig {
  /** Execution provider for the training step and the evaluation graphs; default 'cpu'. */
  ep?: ExecutionProvider;
  /** Fail instead of falling back to the CPU when the provider is unavailable or fails. Default false. */
  epStrict?: boolean;
}

const PROVIDERS: readonly string[] = ['cpu', 'webgpu'];

/** Checks `ep` / `epStrict` and returns the session options for the run's graphs. */
export function runtimeOptions(cfg: RuntimeConfig, where = 'train'): SessionOptions {
  const ep = cfg.ep ?? 'cpu';
  if (typeof ep !== 'string' || !PROVIDERS.includes(ep)) throw expected(where, 'ep', "'cpu' or 'webgpu'", typeof ep === 'string' ? `'${ep}'` : String(ep), 'E_CONFIG');
  if (cfg.epStrict !== undefined && typeof cfg.epStrict !== 'boolean') throw expected(where, 'epStrict', 'a boolean', String(cfg.epStrict), 'E_CONFIG');
  return ep === 'cpu' ? {} : { executionProvider: ep, strict: cfg.epStrict ?? false };
}
