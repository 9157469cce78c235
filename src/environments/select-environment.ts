import path from 'node:path';
import { UsageError } from '../common/errors.js';
import { environmentLockfile, type ProjectConfig } from '../config/types.js';

/** The environment asked for, and where: the flag or the variable (messages name it). */
export interface EnvironmentChoice {
  name: string;
  from: '--env' | 'PPIO_ENV';
}

export const environmentNames = (config: ProjectConfig): string[] => Object.keys(config.environments).sort();

/**
 * The config as one environment sees it: its lockfile, base URL, API key variable, variables
 * and patches. A config without environments is used as it is. `required` is false only for
 * `validate`, which checks every environment when none is chosen.
 */
export function selectEnvironment(config: ProjectConfig, choice: EnvironmentChoice | undefined, env: NodeJS.ProcessEnv): ProjectConfig {
  const names = environmentNames(config);
  if (names.length === 0) {
    if (choice === undefined) return config;
    throw new UsageError(`${choice.from} ${choice.name}: the project config defines no \`environments\``);
  }
  if (choice === undefined) {
    throw new UsageError(`this project has environments (${names.join(', ')}): choose one with --env NAME or PPIO_ENV`);
  }
  const environment = config.environments[choice.name];
  if (environment === undefined || !Object.hasOwn(config.environments, choice.name)) {
    throw new UsageError(`${choice.from} ${choice.name}: no such environment; choose one of: ${names.join(', ')}`);
  }
  const envBaseUrl = env['PPIO_BASE_URL']?.trim();
  return {
    ...config,
    lockfilePath: path.resolve(config.rootDir, environment.lockfile ?? environmentLockfile(choice.name)),
    baseUrl: envBaseUrl || environment.baseUrl || config.baseUrl,
    apiKeyEnv: environment.apiKeyEnv ?? config.apiKeyEnv,
    ...(environment.maxHourlyCost === undefined ? {} : { maxHourlyCost: environment.maxHourlyCost }),
    environment: {
      name: choice.name,
      vars: environment.vars ?? {},
      patches: environment.patches ?? [],
      include: environment.endpoints?.include,
      exclude: environment.endpoints?.exclude ?? [],
    },
  };
}
