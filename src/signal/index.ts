export * from './pad.js';
export * from './filter.js';
export * from './imresize.js';
export * from './pil-resize.js';
export * from './fft.js';
