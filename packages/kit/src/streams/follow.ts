// Following a stream: what a reader has missed, then what comes, in order and once. A reader
// waits on `woken` for news of its stream and reads after its own last id each time, so a
// late or slow reader neither skips nor repeats an entry.
import type { StreamEntry } from './streams.js';
import { unavailable } from '../errors.js';

/** Orders stream ids ("<ms>-<seq>"). */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am - bm || as - bs;
}

// A read that fails is tried again for this long (a busy or briefly unreachable store) before
// the reader is ended with UNAVAILABLE: it comes back with its last id and misses nothing.
const READ_RETRY_MS = [100, 200, 400, 800, 1600];

async function readPatiently(read: (afterId: string | undefined) => Promise<StreamEntry[]>, afterId: string | undefined, signal: AbortSignal): Promise<StreamEntry[]> {
  for (const pause of READ_RETRY_MS) {
    try {
      return await read(afterId);
    } catch {
      if (signal.aborted) return [];
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
  try {
    return await read(afterId);
  } catch {
    throw unavailable('The stream cannot be read now; subscribe again from your last cursor');
  }
}

export async function* followEntries(
  read: (afterId: string | undefined) => Promise<StreamEntry[]>,
  /** Resolves when there may be entries after `afterId` (the reader's last). */
  woken: (afterId: string | undefined, signal: AbortSignal) => Promise<void>,
  afterId: string | undefined,
  signal: AbortSignal,
): AsyncIterable<StreamEntry> {
  let last = afterId;
  while (!signal.aborted) {
    const entries = await readPatiently(read, last, signal);
    for (const entry of entries) {
      last = entry.id;
      yield entry;
      if (signal.aborted) return;
    }
    if (entries.length === 0) await woken(last, signal);
  }
}

/** A promise for the next wake-up of a stream, or the abort of the reader. */
export class Wakeups {
  private readonly waiting = new Map<string, Set<() => void>>();

  wait(stream: string, signal: AbortSignal, timeoutMs?: number): Promise<void> {
    const waiting = this.waiting;
    return new Promise<void>((resolve) => {
      const waiters = this.waiting.get(stream) ?? new Set();
      this.waiting.set(stream, waiters);
      // Only bounds the wait: it does not keep a process alive.
      const timer = timeoutMs ? setTimeout(done, timeoutMs).unref() : undefined;
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        waiters.delete(done);
        if (waiters.size === 0 && waiting.get(stream) === waiters) waiting.delete(stream);
        resolve();
      }
      waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  wake(stream: string): void {
    const waiters = this.waiting.get(stream);
    if (!waiters) return;
    this.waiting.delete(stream);
    for (const wake of waiters) wake();
  }

  has(stream: string): boolean {
    return this.waiting.has(stream);
  }

  /** The streams someone waits on now. */
  streams(): string[] {
    return [...this.waiting.keys()];
  }
}
