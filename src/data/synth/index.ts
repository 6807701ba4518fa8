// Synthetic distortions (platform-free part). The Node generator is `generate.ts` (import it directly).
export * from './types.js';
export * from './rng.js';
export * from './pseudo-mos.js';
export { jp2kRoundTrip } from './jp2k.js';
export type { Codecs, DistortionContext } from './unit.js';
export { gaussianBlur, lensBlur, motionBlur } from './blur.js';
export { colourDiffusion, colourShift, colourQuantisation, saturationHsv, saturationLab } from './colour.js';
export { jpeg, jpeg2000 } from './compression.js';
export { whiteNoise, whiteNoiseYcbcr, impulseNoise, multiplicativeNoise, denoise } from './noise.js';
export { brighten, darken, meanShift } from './brightness.js';
export { jitter, nonEccentricityPatch, pixelate, quantisation, colourBlock } from './spatial.js';
export { highSharpen, contrastChange } from './sharpness.js';
