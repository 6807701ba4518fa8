export * from './decode.js';
export * from './safetensors.js';
