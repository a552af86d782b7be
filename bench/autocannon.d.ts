// The part of autocannon's API the load process uses (the package ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export interface Options {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    duration?: number;
    timeout?: number;
    verifyBody?: (body: string) => boolean;
    /** Called with each connection's client once, before its first request. */
    setupClient?: (client: { setHeaders(headers: Record<string, string>): void }) => void;
  }

  export interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    '2xx': number;
    requests: { total: number; average: number };
    latency: { p50: number; p90: number; p99: number; average: number; max: number };
  }

  export interface Instance extends EventEmitter {
    stop(): void;
  }

  function autocannon(options: Options, done: (error: Error | null, result: Result) => void): Instance;
  export default autocannon;
}
