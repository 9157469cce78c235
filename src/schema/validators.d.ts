// Types for dist/schema/validators.js, generated at build time by scripts/build-validators.js.
import type { ErrorObject } from 'ajv';

export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}
export const validateEndpoint: CompiledValidator;
export const validateConfig: CompiledValidator;
