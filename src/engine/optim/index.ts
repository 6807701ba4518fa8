export { adam, adamw, sgd, type AdamOptions, type Optimizer, type SgdOptions } from './optimizer.js';
export { constantLr, cosineLr, stepLr, warmup, type Schedule } from './schedule.js';
export { TrainStep, type ParamGroup, type TrainState, type TrainStepOptions } from './train-step.js';
