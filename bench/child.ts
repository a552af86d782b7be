// Child processes of the benchmark: started with `node`, their output kept (the last lines
// explain a failed start), stopped with SIGTERM so they exit normally (and write --cpu-prof).
import { spawn, type ChildProcess } from 'node:child_process';

export interface Child {
  process: ChildProcess;
  pid: number;
  /** The last lines it wrote, stdout and stderr together. */
  tail(): string;
  exited: Promise<number | null>;
  stop(timeoutMs?: number): Promise<void>;
}

export function startNode(args: string[], options: { cwd: string; env: Record<string, string> }): Child {
  const child = spawn(process.execPath, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 40));
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  // 'close', not 'exit': by then all its output has been read.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    process: child,
    pid: child.pid!,
    tail: () => lines.join('\n'),
    exited,
    async stop(timeoutMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves with the first stdout line `matches` accepts; rejects if the child exits first. */
export function waitForLine(child: Child, matches: (line: string) => boolean, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let pending = '';
    const timer = setTimeout(() => reject(new Error(`no ready line within ${timeoutMs / 1000}s:\n${child.tail()}`)), timeoutMs);
    child.process.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop()!;
      const found = lines.find(matches);
      if (found !== undefined) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    void child.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with code ${code}:\n${child.tail()}`));
    });
  });
}

/** Polls a GraphQL endpoint with `{ __typename }` until it answers 200. */
export async function waitUntilServing(url: string, child: Child, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void child.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`exited with code ${exitCode}:\n${child.tail()}`);
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not serving within ${timeoutMs / 1000}s:\n${child.tail()}`);
}
