import { parseAnswer } from './answer.js';
import { tell, type PromptInput, type PromptOutput } from './can-prompt.js';

/** How a yes/no question ended: the answer, Ctrl+C, or no usable answer (EOF, or too many tries). */
export type YesNoOutcome = boolean | 'interrupted' | 'no-answer';

/** One yes/no question on a terminal. */
export interface YesNoQuestion {
  readonly input: PromptInput;
  readonly output: PromptOutput;
  /** The prompt line, e.g. `Send usage metrics? [Y/n] `. */
  readonly question: string;
  /** What an empty line means. */
  readonly defaultYes: boolean;
  /** Shown before asking again after an answer that is not y/yes/n/no. */
  readonly retry: string;
  /** Unusable answers accepted before giving up (default 3). */
  readonly attempts?: number;
}

/**
 * Asks until the answer is y/yes/n/no (any case) or Enter (the default), at most `attempts` times.
 * Resolves, never rejects: Ctrl+C and EOF end the question and leave the host running, and the
 * terminal is handed back as it was (readline restores cooked mode and pauses the input on close).
 */
export async function askYesNo(q: YesNoQuestion): Promise<YesNoOutcome> {
  // Loaded on demand: the CLIs that import optel at start-up and never prompt pay nothing for it.
  const { createInterface } = await import('node:readline');
  const attempts = q.attempts ?? 3;
  return new Promise((resolve) => {
    // Node's streams, typed loosely in the public interface (see PromptInput).
    const rl = createInterface({ input: q.input as unknown as NodeJS.ReadableStream, output: q.output as unknown as NodeJS.WritableStream, terminal: true, historySize: 0 });
    let done = false;
    let unusable = 0;
    const finish = (outcome: YesNoOutcome, newline: boolean) => {
      if (done) return;
      done = true;
      q.input.removeListener('error', onError);
      if (newline) tell(q.output, '\n');
      rl.close();
      resolve(outcome);
    };
    const onError = () => finish('no-answer', true);
    q.input.once('error', onError);
    rl.on('line', (line) => {
      const answer = parseAnswer(line, q.defaultYes);
      if (answer !== undefined) return finish(answer, false);
      if (++unusable >= attempts) return finish('no-answer', false);
      tell(q.output, q.retry);
      rl.prompt();
    });
    // In terminal mode Ctrl+C reaches readline as a key, not as a signal to the process: it ends
    // the question only, and the host decides what an interrupted installer does next.
    rl.on('SIGINT', () => finish('interrupted', true));
    // EOF (Ctrl+D on an empty line) closes the interface.
    rl.on('close', () => finish('no-answer', true));
    rl.setPrompt(q.question);
    rl.prompt();
  });
}
