export * from './pad.js';
export * from './filter.js';
export * from './imresize.js';
export * from './fft.js';
