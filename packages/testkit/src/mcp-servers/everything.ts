import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { freePort } from './free-port.js';

// The reference MCP server (@modelcontextprotocol/server-everything), run for real: over stdio as a
// command an operator would allow-list, or over HTTP as a child process on a port of our choosing.

export type EverythingTransport = 'stdio' | 'streamableHttp' | 'sse';

/** What a stdio MCP client spawns: nothing runs until a client starts it. */
export interface EverythingStdio {
  command: string;
  args: string[];
}

export interface EverythingHttp {
  /** http://127.0.0.1:<port>/mcp (streamableHttp) or /sse (sse; messages are POSTed to /message). */
  url: string;
  port: number;
  /** The pid of the current process (changes on restart). */
  readonly pid: number;
  /** Kills the server and waits until it has exited; connecting is refused afterwards. */
  stop(): Promise<void>;
  /** Stops it if running, then starts it again on the same port and waits until it listens. */
  restart(): Promise<void>;
}

export interface EverythingOptions {
  /** How long to wait for the server's listening line (default 20 s). */
  startTimeoutMs?: number;
  /** Extra environment for the server process. */
  env?: Record<string, string>;
}

/** Absolute path of server-everything's entry point (its bin). */
export function everythingEntry(): string {
  const require = createRequire(import.meta.url);
  // The package has no exports map, so its package.json resolves and the bin sits next to it.
  return path.join(path.dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist/index.js');
}

export function startEverything(transport: 'stdio', options?: EverythingOptions): Promise<EverythingStdio>;
export function startEverything(transport: 'streamableHttp' | 'sse', options?: EverythingOptions): Promise<EverythingHttp>;
export async function startEverything(transport: EverythingTransport, options: EverythingOptions = {}): Promise<EverythingStdio | EverythingHttp> {
  if (transport === 'stdio') return { command: process.execPath, args: [everythingEntry(), 'stdio'] };

  const port = await freePort();
  let child = await spawnListening(transport, port, options);
  const stop = () => stopChild(child);
  return {
    url: `http://127.0.0.1:${port}/${transport === 'sse' ? 'sse' : 'mcp'}`,
    port,
    get pid() {
      return child.pid!;
    },
    stop,
    async restart() {
      await stop();
      child = await spawnListening(transport, port, options);
    },
  };
}

// The server logs "... listening on port N" (streamableHttp) or "Server is running on port N" (sse).
const LISTENING = /(listening|running) on port \d+/i;

// Reads stdin to its end and exits then: the pipe closes when the test process dies, even by
// SIGKILL, so a server never outlives the run. server-everything's HTTP modes do not use stdin.
const EXIT_WITH_PARENT = "data:text/javascript,process.stdin.on('end',()=>process.exit(0)).on('error',()=>process.exit(0)).resume()";

async function spawnListening(transport: 'streamableHttp' | 'sse', port: number, options: EverythingOptions): Promise<ChildProcess> {
  const timeoutMs = options.startTimeoutMs ?? 20_000;
  const child = spawn(process.execPath, ['--import', EXIT_WITH_PARENT, everythingEntry(), transport], {
    env: { ...process.env, ...options.env, PORT: String(port) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  track(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const fail = (why: string) => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`server-everything (${transport}, port ${port}) ${why}; its output:\n${output.trim() || '(none)'}`));
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (LISTENING.test(output)) {
        cleanup();
        resolve();
      }
    };
    const onExit = (code: number | null, signal: string | null) => fail(`exited (${signal ?? `code ${code}`}) before listening`);
    const onError = (error: Error) => fail(`could not be started: ${error.message}`);
    const timer = setTimeout(() => fail(`did not report listening within ${timeoutMs} ms`), timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.off('exit', onExit).off('error', onError);
      child.stdout!.off('data', onData);
      child.stderr!.off('data', onData);
    };
    child.on('exit', onExit).on('error', onError);
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
  });
  // Keep draining its output so a chatty server never blocks on a full pipe.
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const escalate = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(escalate);
}

// Children still running when the test process exits normally are killed with it.
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of running) c.kill('SIGKILL');
  });
}
