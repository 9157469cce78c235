/** Where a formatter writes: process.stdout in the CLI, a string buffer in tests. */
export interface Sink {
  write(text: string): void;
}

export interface RenderOptions {
  /** ANSI colours allowed. */
  color: boolean;
}

/** Every output format is one of these: a pure rendering of a model into a sink. */
export type Formatter<Model> = (model: Model, sink: Sink, options: RenderOptions) => void;

/** A Sink that collects text, for tests and for composing outputs. */
export function stringSink(): Sink & { text(): string } {
  let buffer = '';
  return { write: (chunk) => void (buffer += chunk), text: () => buffer };
}
