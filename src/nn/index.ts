export * from './module.js';
export * from './layers.js';
export * from './blocks.js';
export * from './functional.js';
