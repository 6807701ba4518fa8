export * from './decode.js';
export * from './files.js';
