import { createInterface } from 'node:readline/promises';

/** How a prompt ended: an answer, Ctrl-C, or Ctrl-D (the input closed without an answer). */
export type Answer = 'yes' | 'no' | 'interrupted' | 'end-of-input';

/** Asks on the terminal; only the literal answer "yes" approves, as in Terraform. */
export async function confirm(question: string): Promise<Answer> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  let ended: Answer | undefined;
  const stopped = new Promise<Answer>((resolve) => {
    rl.once('SIGINT', () => resolve((ended ??= 'interrupted')));
    rl.once('close', () => resolve((ended ??= 'end-of-input')));
  });
  try {
    const answered = rl.question(question).then((text): Answer => (text.trim() === 'yes' ? 'yes' : 'no'));
    return await Promise.race([answered, stopped]);
  } catch (error) {
    if (ended !== undefined) return ended;
    if ((error as Error).name === 'AbortError') return 'interrupted';
    throw error;
  } finally {
    rl.close();
  }
}
