import net from 'node:net';

// A TCP proxy on 127.0.0.1 that tests can cut and restore, to simulate a
// dependency (RabbitMQ, Postgres...) going away and coming back.
export interface TcpProxy {
  port: number;
  // Connections refused while cut, so a test can wait for a client's attempt.
  readonly refused: number;
  // Destroys live connections and refuses new ones until restore().
  cut(): Promise<void>;
  // Stops forwarding on live connections without closing them, like a silent
  // network partition (they stay frozen); new connections are still served.
  freeze(): void;
  restore(): void;
  close(): Promise<void>;
}

type Pair = [client: net.Socket, upstream: net.Socket];

export interface TcpProxyOptions {
  /**
   * 'drop' (the default): while cut, connections are accepted and dropped at once; 'refuse':
   * the port stops listening, so connecting fails as with a stopped server (ECONNREFUSED).
   */
  whenCut?: 'drop' | 'refuse';
}

export async function startTcpProxy(targetHost: string, targetPort: number, { whenCut = 'drop' }: TcpProxyOptions = {}): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let isCut = false;
  let refused = 0;

  const server = net.createServer((client) => {
    // The port stays bound while cut, so restore() needs no new listen; a
    // connection accepted and dropped at once is what a down peer looks like.
    if (isCut) {
      refused++;
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    const pair: Pair = [client, upstream];
    pairs.add(pair);
    for (const socket of pair) {
      socket.on('error', () => {});
      // Either side closing closes the other, as a direct connection would.
      socket.on('close', () => {
        pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;

  async function destroyAll(): Promise<void> {
    const sockets = [...pairs].flat();
    const closed = sockets.map((s) => new Promise<void>((resolve) => (s.closed ? resolve() : s.once('close', () => resolve()))));
    for (const socket of sockets) socket.destroy();
    await Promise.all(closed);
  }

  return {
    port,
    get refused() {
      return refused;
    },
    async cut() {
      isCut = true;
      if (whenCut === 'refuse') server.close();
      await destroyAll();
    },
    freeze() {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    restore() {
      if (whenCut === 'refuse' && isCut) server.listen(port, '127.0.0.1');
      isCut = false;
    },
    async close() {
      isCut = true;
      await destroyAll();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
