export { Session, SessionCache, type ExecutionProvider, type SessionOptions } from './session.js';
export { compile, Compiled, type CompileOptions } from './compile.js';
