export * from './decode.js';
export * from './files.js';
export * from './image-grid.js';
