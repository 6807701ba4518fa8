export { Session, SessionCache, type ExecutionProvider, type SessionOptions } from './session.js';
