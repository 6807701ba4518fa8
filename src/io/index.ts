export * from './decode.js';
export * from './encode.js';
export * from './pairing.js';
export * from './files.js';
export * from './image-grid.js';
export * from './safetensors.js';
