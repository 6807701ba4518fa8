/** What every backbone offers: multi-stage features (NCHW unless noted) and their channel counts. */
import type { Tensor } from '../../engine/graph/graph.js';
import type { Module } from '../../nn/module.js';

export interface Backbone extends Module {
  /** Channels of each tensor returned by `features`, in order. */
  readonly stageChannels: readonly number[];
  /** Stage outputs for an input [N, 3, H, W] (already normalised as the backbone expects). */
  features(x: Tensor): Tensor[];
}
