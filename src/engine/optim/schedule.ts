/** Learning-rate schedules: functions of the 0-based step returning the learning rate (PyTorch lr_scheduler rules). */
export type Schedule = (step: number) => number;

/** StepLR: lr * gamma^floor(step / stepSize). */
export const stepLr = (lr: number, stepSize: number, gamma = 0.1): Schedule => (t) => lr * gamma ** Math.floor(t / stepSize);

/** CosineAnnealingLR (closed form): minLr + (lr - minLr)(1 + cos(pi t / T)) / 2, constant after T. */
export const cosineLr = (lr: number, total: number, minLr = 0): Schedule => (t) => minLr + ((lr - minLr) * (1 + Math.cos((Math.PI * Math.min(t, total)) / total))) / 2;

/** Linear warm-up from lr/warmup... to the wrapped schedule over `warmup` steps, then `after(t - warmup)`. */
export const warmup = (steps: number, after: Schedule): Schedule => (t) => (t < steps ? (after(0) * (t + 1)) / steps : after(t - steps));

export const constantLr = (lr: number): Schedule => () => lr;
