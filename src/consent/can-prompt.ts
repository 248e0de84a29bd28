import type { Env } from '../config/env-layer.js';

/**
 * A stream that may be a terminal (`process.stdin`, or any readable in tests and embedders). Typed by
 * the members readline uses rather than as `NodeJS.ReadableStream`, so that a host compiling without
 * `@types/node` can still read optel's types.
 */
export interface PromptInput {
  readonly isTTY?: boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
  once(event: string, listener: (...args: never[]) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

/** Where the question is shown: a stream that may be a terminal and may know its width. */
export interface PromptOutput {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
}

/** Whether `CI` says this is an automated run (set, and not `0`/`false`). */
function isCi(env: Env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/**
 * Whether a person is there to answer: the question is read from `input` and shown on `output`, so
 * both must be terminals (a prompt on a redirected stream would hang a script or vanish into a log),
 * and CI runs count as headless even when they allocate a pseudo-terminal.
 */
export function canPrompt(input: PromptInput, output: PromptOutput, env: Env): boolean {
  return input.isTTY === true && output.isTTY === true && !isCi(env);
}

/** Writes to the prompt's output; a terminal that went away is not an error worth raising in the host. */
export function tell(output: PromptOutput, text: string): void {
  try {
    output.write(text);
  } catch {
    // nobody left to tell
  }
}
