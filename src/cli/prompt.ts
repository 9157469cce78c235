import { createInterface } from 'node:readline/promises';

/** Asks on the terminal; only the literal answer "yes" approves, as in Terraform. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim() === 'yes';
  } finally {
    rl.close();
  }
}
