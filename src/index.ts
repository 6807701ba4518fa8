export * from './tensor/index.js';
export * from './io/index.js';
