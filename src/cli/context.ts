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
  quiet: boolean;
  debug: boolean;
  env: NodeJS.ProcessEnv;
  stdout: Output;
  stderr: Output;
  /** stdin and stdout are terminals: prompts and live progress are allowed. */
  interactive: boolean;
}
