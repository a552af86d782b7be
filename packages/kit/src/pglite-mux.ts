// One PGlite, many Postgres-protocol listeners: one per service schema. PGlite has a single
// backend session, so every connection shares its session state (search_path, unnamed
// statements and portals, the open transaction). This server therefore lets one connection at a
// time talk to the backend, from its first message until the backend is idle again
// (ReadyForQuery 'I'), and before a connection's turn sets search_path to the schema of the
// listener it came through. So unqualified SQL of a service finds only its own tables.
// (@electric-sql/pglite-socket 0.2.17 locks per message, and only inside an explicit
// transaction, so two connections' Parse/Bind/Execute can interleave outside one.)
import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
const SYNC = Uint8Array.from([0x53, 0, 0, 0, 4]);

export interface MuxListener {
  schema: string;
  host: string;
  port: number;
}

export class PGliteMux {
  private owner: Connection | null = null;
  private waiters: Array<{ conn: Connection; resume: () => void }> = [];
  private searchPath: string | undefined;
  private servers: Server[] = [];
  private connections = new Set<Connection>();

  constructor(readonly db: PGlite) {}

  /** Serves `schema` on host:port (0: any free port); creates the schema when missing. */
  async listen(schema: string, options: { host?: string; port?: number } = {}): Promise<MuxListener> {
    const host = options.host ?? '127.0.0.1';
    await this.db.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    const server = createServer((socket) => {
      const conn = new Connection(this, socket, schema);
      this.connections.add(conn);
      socket.once('close', () => this.connections.delete(conn));
    });
    this.servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    const address = server.address();
    if (!address || typeof address !== 'object') throw new Error('no address');
    return { schema, host, port: address.port };
  }

  async close(): Promise<void> {
    const closing = [...this.connections].map((conn) => conn.destroy());
    await Promise.all(this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    await Promise.all(closing);
    this.servers = [];
  }

  /** Waits for the backend; a connection keeps it until the backend is idle again. */
  acquire(conn: Connection): Promise<void> {
    if (this.owner === conn) return Promise.resolve();
    if (!this.owner) {
      this.owner = conn;
      return Promise.resolve();
    }
    return new Promise((resume) => this.waiters.push({ conn, resume }));
  }

  release(conn: Connection): void {
    if (this.owner !== conn) return;
    const next = this.waiters.shift();
    this.owner = next?.conn ?? null;
    next?.resume();
  }

  /** Points the session at `schema` (only the owner calls it, with the backend idle). */
  async useSchema(schema: string): Promise<void> {
    if (this.searchPath === schema) return;
    await this.db.exec(`SET search_path TO ${quoteIdent(schema)}`);
    this.searchPath = schema;
  }

  /** Call when something else may have changed the session's search_path. */
  forgetSchema(): void {
    this.searchPath = undefined;
  }
}

class Connection {
  alive = true;
  private buffer = Buffer.alloc(0);
  private started = false;
  private pumping = false;
  /** The backend has messages of ours it has not answered with ReadyForQuery yet. */
  private midSequence = false;
  private out = new ReadyForQueryScanner();

  constructor(
    private readonly mux: PGliteMux,
    private readonly socket: Socket,
    private readonly schema: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (data) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, data]) : data;
      void this.pump();
    });
    socket.on('error', () => {});
    socket.on('close', () => void this.closed());
  }

  /** Resolves once the connection let go of the backend. */
  destroy(): Promise<void> {
    this.socket.destroy();
    return this.done;
  }

  private finished: () => void = () => {};
  private done: Promise<void> = new Promise((resolve) => (this.finished = resolve));

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let message = this.next(); message && this.alive; message = this.next()) await this.run(message);
    } catch (error) {
      this.socket.destroy(error as Error);
    } finally {
      this.pumping = false;
    }
  }

  /** The next complete message, answering SSL/GSS requests and dropping cancel requests. */
  private next(): Buffer | undefined {
    for (;;) {
      if (!this.started) {
        if (this.buffer.length < 8) return undefined;
        const length = this.buffer.readInt32BE(0);
        const code = this.buffer.readInt32BE(4);
        if (this.buffer.length < length) return undefined;
        const message = this.take(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          this.socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST) {
          this.socket.end();
          return undefined;
        }
        if (code !== PROTOCOL_3) throw new Error(`unsupported protocol ${code}`);
        this.started = true;
        return message;
      }
      if (this.buffer.length < 5) return undefined;
      const length = 1 + this.buffer.readInt32BE(1);
      if (this.buffer.length < length) return undefined;
      return this.take(length);
    }
  }

  private take(length: number): Buffer {
    const message = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return message;
  }

  private async run(message: Buffer): Promise<void> {
    if (this.started && message[0] === 0x58) {
      // Terminate: the session is shared, so it is not the backend's business.
      this.socket.end();
      return;
    }
    await this.mux.acquire(this);
    // Gone while waiting: give the turn back (mid-sequence, closed() ends the sequence first).
    if (!this.alive) return this.midSequence ? undefined : this.mux.release(this);
    if (!this.midSequence) await this.mux.useSchema(this.schema);
    this.midSequence = true;
    const status = await this.mux.db.runExclusive(async () => {
      this.out.reset();
      await this.mux.db.execProtocolRawStream(new Uint8Array(message), {
        onRawData: (data) => {
          this.out.scan(data);
          if (this.socket.writable) this.socket.write(Buffer.from(data));
        },
      });
      return this.out.status;
    });
    if (status === 'I') {
      this.midSequence = false;
      this.mux.release(this);
    }
    // 'T' or 'E': inside a transaction; no status: mid extended-protocol sequence. Keep the backend.
  }

  private async closed(): Promise<void> {
    this.alive = false;
    // Wait for the message that is running or waiting for its turn now.
    while (this.pumping) await new Promise((resolve) => setImmediate(resolve));
    if (!this.midSequence) return this.finished();
    // Left mid-sequence or inside a transaction: end both before anyone else gets the session.
    try {
      const db = this.mux.db;
      await db.runExclusive(() => db.execProtocolRawStream(SYNC, { onRawData: () => {} }));
      if (db.isInTransaction()) await db.exec('ROLLBACK');
    } finally {
      this.midSequence = false;
      this.mux.release(this);
      this.finished();
    }
  }
}

/** Follows the backend's output to find the status of its last ReadyForQuery. */
class ReadyForQueryScanner {
  status: string | undefined;
  private header = Buffer.alloc(0);
  private skip = 0;
  private pendingZ = false;

  reset(): void {
    this.status = undefined;
  }

  scan(data: Uint8Array): void {
    let i = 0;
    while (i < data.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, data.length - i);
        if (this.pendingZ && n > 0) {
          this.status = String.fromCharCode(data[i]!);
          this.pendingZ = false;
        }
        this.skip -= n;
        i += n;
        continue;
      }
      const need = 5 - this.header.length;
      const chunk = data.subarray(i, i + need);
      this.header = Buffer.concat([this.header, chunk]);
      i += chunk.length;
      if (this.header.length < 5) return;
      this.pendingZ = this.header[0] === 0x5a;
      this.skip = this.header.readInt32BE(1) - 4;
      this.header = Buffer.alloc(0);
    }
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
