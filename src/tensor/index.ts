export * from './errors.js';
export * from './image.js';
