import type { SecretMask } from '../common/secrets.js';
import type { EnvironmentChoice } from '../environments/index.js';

/** What every command receives: resolved global options and the process's streams. */
export interface Output {
  write(text: string): void;
}

export interface CommandContext {
  /** Absolute working directory (after --cwd). */
  cwd: string;
  /** --config FILE, absolute, when given. */
  configPath?: string;
  /** Colours allowed (TTY, no NO_COLOR, no --no-color). */
  color: boolean;
  /** `--env NAME`, else PPIO_ENV, when either is set. */
  environment?: EnvironmentChoice;
  /** `--var NAME=VALUE` flags, by name (the last one wins). */
  variables: Record<string, string>;
  quiet: boolean;
  debug: boolean;
  env: NodeJS.ProcessEnv;
  /** Both streams pass every write through `secrets`. */
  stdout: Output;
  stderr: Output;
  /** Values never to print: the API key from the start, each `${env:…}` value once resolved. */
  secrets: SecretMask;
  /** stdin and stdout are terminals: prompts and live progress are allowed. */
  interactive: boolean;
}
