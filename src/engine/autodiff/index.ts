export { grad, type GradOptions } from './grad.js';
