/** `status`: the managed endpoints as they are live, then the unmanaged ones. Pure. */
export { assembleStatus, type StatusInput } from './assemble-status.js';
export * from './types.js';
