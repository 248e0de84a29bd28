import { spawn } from 'node:child_process';

/**
 * `count` processes of `script` started at one moment: each writes `ready` once loaded, is then sent
 * one start time (it busy-waits until then), and answers on stdout. Their stdin stays open until
 * `done()`, so a script that lives until its stdin ends outlasts every other's answer.
 */
export async function startTogether(script: string, args: readonly string[], count: number): Promise<{ answers: string[]; pids: number[]; done(): void }> {
  const children = Array.from({ length: count }, () => spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] }));
  const said = (child: (typeof children)[number]) => new Promise<string>((resolve) => child.stdout.once('data', (c: Buffer) => resolve(c.toString())));
  await Promise.all(children.map(said));
  const answers = children.map(said);
  const start = String(Date.now() + 100);
  for (const child of children) child.stdin.write(start);
  return {
    answers: await Promise.all(answers),
    pids: children.map((child) => child.pid as number),
    done: () => {
      for (const child of children) child.stdin.end();
    },
  };
}
