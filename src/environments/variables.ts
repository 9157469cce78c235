import type { VariableValue } from '../schema/definitions.js';
import type { LookupVariable } from './resolve-variables.js';
import type { ProjectConfig } from '../config/types.js';

/**
 * `${var:NAME}` resolution, first match wins: `--var NAME=VALUE`, the environment variable
 * PPIO_VAR_NAME, the selected environment's `vars`, the config's top-level `vars`.
 */
export function variableLookup(config: ProjectConfig, flags: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv): LookupVariable {
  const environment = config.environment;
  return (name) => {
    if (Object.hasOwn(flags, name)) return { value: flags[name] as string, origin: `--var ${name}` };
    const fromEnv = env[`PPIO_VAR_${name}`];
    if (fromEnv !== undefined) return { value: fromEnv, origin: `PPIO_VAR_${name}` };
    if (environment && Object.hasOwn(environment.vars, name)) {
      return { value: environment.vars[name] as VariableValue, origin: `environments.${environment.name}.vars.${name}` };
    }
    if (Object.hasOwn(config.vars, name)) return { value: config.vars[name] as VariableValue, origin: `vars.${name}` };
    return undefined;
  };
}
