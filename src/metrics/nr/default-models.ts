/** The toolkit's own default models (fitted on the shared pristine photos; see models/README.md). */
import type { MvgModel } from './niqe.js';
import { IqaError } from '../../tensor/errors.js';
export function defaultNiqeModel(): MvgModel {
  throw new IqaError('niqe: no default model yet', 'E_ARG');
}
