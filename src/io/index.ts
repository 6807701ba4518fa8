export * from './decode.js';
export * from './encode.js';
export * from './pairing.js';
