export * from './errors.js';
export * from './image.js';
export * from './ndarray.js';
