// One client session per (user, server), shared by that user's calls: opened on first use (one
// opening at a time, however many calls wait for it), closed when idle and reopened by the next
// call rather than failing it, and cut off by the server's breaker while it is down. A call is
// sent again only when it certainly never reached the server (a refused connection, a session
// the server forgot), on a fresh session.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '@builderai/kit';
import { CircuitBreaker, type BreakerOptions } from './breaker.js';
import { neverReachedServer, readableError, serverAnswered, sessionGone } from './errors.js';
import type { OpenedClient, ServerEndpoint } from './open-client.js';

export interface PoolOptions {
  open: (endpoint: ServerEndpoint) => Promise<OpenedClient>;
  idleCloseMs: number;
  maxConnections: number;
  breaker: BreakerOptions;
  logger: Logger;
  now?: () => number;
}

interface Entry {
  key: string;
  serverId: string;
  opened?: OpenedClient;
  opening?: Promise<OpenedClient>;
  lastUsed: number;
  inFlight: number;
}

/** The connection itself failed (not the tool): the session is dropped and the breaker told. */
function connectionFailed(error: unknown): boolean {
  if (neverReachedServer(error)) return true;
  return error instanceof McpError && error.code === ErrorCode.ConnectionClosed;
}

export class ConnectionPool {
  private readonly entries = new Map<string, Entry>();
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly now: () => number;

  constructor(private readonly options: PoolOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The breaker of where the endpoint is: users who registered the same server share it, so a
   * dead server sees one attempt per period however many users call it. A stdio server is a
   * process of its own per user and server.
   */
  breakerFor(endpoint: Pick<ServerEndpoint, 'id' | 'transport' | 'urls'>): CircuitBreaker {
    const key = endpoint.transport === 'STDIO' ? `stdio:${endpoint.id}` : `${endpoint.transport}:${endpoint.urls.join(' ')}`;
    let breaker = this.breakers.get(key);
    if (!breaker) this.breakers.set(key, (breaker = new CircuitBreaker(this.options.breaker)));
    return breaker;
  }

  /** Runs `work` on the user's session with the server; see the file's comment for what fails how. */
  async use<T>(endpoint: ServerEndpoint, work: (client: Client, opened: OpenedClient) => Promise<T>): Promise<T> {
    const breaker = this.breakerFor(endpoint);
    breaker.admit();
    const key = `${endpoint.userId}:${endpoint.id}`;
    for (let attempt = 0; ; attempt++) {
      const entry = this.entryFor(key, endpoint.id);
      let opened: OpenedClient;
      try {
        opened = await this.acquire(entry, endpoint);
      } catch (error) {
        if (serverAnswered(error)) breaker.success();
        else breaker.failure(readableError(error));
        throw error;
      }
      entry.inFlight += 1;
      entry.lastUsed = this.now();
      try {
        const result = await work(opened.client, opened);
        breaker.success();
        return result;
      } catch (error) {
        if (!connectionFailed(error)) {
          // A tool's error is the server answering; a timeout leaves the server's state open.
          if (serverAnswered(error)) breaker.success();
          else breaker.release();
          throw error;
        }
        await this.drop(entry);
        if (attempt === 0 && neverReachedServer(error)) {
          this.options.logger.info({ serverId: endpoint.id, reason: readableError(error) }, sessionGone(error) ? 'mcp session gone: reopening' : 'mcp connection refused: trying again');
          continue;
        }
        breaker.failure(readableError(error));
        throw error;
      } finally {
        entry.inFlight -= 1;
        entry.lastUsed = this.now();
      }
    }
  }

  private entryFor(key: string, serverId: string): Entry {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { key, serverId, lastUsed: this.now(), inFlight: 0 };
      this.entries.set(key, entry);
      this.evictBeyondLimit();
    }
    return entry;
  }

  /** The entry's session, opening it once for every caller waiting. */
  private acquire(entry: Entry, endpoint: ServerEndpoint): Promise<OpenedClient> {
    if (entry.opened) return Promise.resolve(entry.opened);
    entry.opening ??= this.options.open(endpoint).then(
      (opened) => {
        entry.opened = opened;
        entry.opening = undefined;
        // A session the server or the process ends is forgotten: the next call opens another.
        opened.client.onclose = () => {
          if (entry.opened === opened) entry.opened = undefined;
        };
        return opened;
      },
      (error) => {
        entry.opening = undefined;
        if (this.entries.get(entry.key) === entry && !entry.opened) this.entries.delete(entry.key);
        throw error;
      },
    );
    return entry.opening;
  }

  private async drop(entry: Entry): Promise<void> {
    const opened = entry.opened;
    entry.opened = undefined;
    if (opened) await opened.close().catch(() => undefined);
  }

  /** Closes the sessions of a server (it changed or is gone). */
  async closeServer(serverId: string): Promise<void> {
    const closing = [...this.entries.values()].filter((entry) => entry.serverId === serverId);
    for (const entry of closing) this.entries.delete(entry.key);
    await Promise.all(closing.map((entry) => this.drop(entry)));
  }

  /** Closes the sessions unused for the idle time; the next call reopens them. */
  async closeIdle(): Promise<number> {
    const deadline = this.now() - this.options.idleCloseMs;
    const idle = [...this.entries.values()].filter((entry) => entry.inFlight === 0 && !entry.opening && entry.lastUsed <= deadline);
    for (const entry of idle) this.entries.delete(entry.key);
    // Breakers of servers that answer hold nothing worth keeping.
    for (const [key, breaker] of this.breakers) if (breaker.settled) this.breakers.delete(key);
    await Promise.all(idle.map((entry) => this.drop(entry)));
    return idle.length;
  }

  /** Beyond the limit, the least recently used idle session goes. */
  private evictBeyondLimit(): void {
    if (this.entries.size <= this.options.maxConnections) return;
    const idle = [...this.entries.values()].filter((entry) => entry.inFlight === 0 && !entry.opening).sort((a, b) => a.lastUsed - b.lastUsed);
    for (const entry of idle.slice(0, this.entries.size - this.options.maxConnections)) {
      this.entries.delete(entry.key);
      void this.drop(entry);
    }
  }

  async closeAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(all.map((entry) => this.drop(entry)));
  }
}

