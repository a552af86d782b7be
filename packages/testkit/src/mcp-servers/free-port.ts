import net from 'node:net';

/**
 * A TCP port that is free on 127.0.0.1 right now: the OS picks it for a throwaway listener,
 * which is closed again so a server that cannot report its own random port can be told to use it.
 */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
