/**
 * One error type and one message builder for the whole toolkit.
 * Messages read `where: what: expected X, got Y` so that a user sees the function, the thing and both values.
 */
export class IqaError extends Error {
  override readonly name = 'IqaError';
  constructor(
    message: string,
    /** Stable machine-readable category, e.g. 'E_SIZE', 'E_DECODE', 'E_NAN', 'E_ARG'. */
    readonly code: string = 'E_ARG',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** `where: what: expected X, got Y`. */
export function expected(where: string, what: string, want: string, got: string, code = 'E_ARG'): IqaError {
  return new IqaError(`${where}: ${what}: expected ${want}, got ${got}`, code);
}

/** Throws `expected(...)` unless `cond` holds; the message is built lazily. */
export function check(cond: boolean, where: string, what: string, want: string, got: () => string, code = 'E_ARG'): asserts cond {
  if (!cond) throw expected(where, what, want, got(), code);
}
