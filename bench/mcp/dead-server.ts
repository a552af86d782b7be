// A server that is down in the way that costs the most: it accepts each connection and drops it
// at once, counting them, so every attempt of a client is seen.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface DeadServer {
  url: (query?: string) => string;
  readonly attempts: number;
  reset(): void;
  close(): Promise<void>;
}

export async function startDeadServer(): Promise<DeadServer> {
  let attempts = 0;
  const server = net.createServer((socket) => {
    attempts += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (query = '') => `http://127.0.0.1:${port}/mcp${query}`,
    get attempts() {
      return attempts;
    },
    reset: () => void (attempts = 0),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
