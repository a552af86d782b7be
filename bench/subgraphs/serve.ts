// Starts the four bench subgraphs, each on its own port behind a replay cache (replay-cache.ts).
// Run directly (`node --import tsx bench/subgraphs/serve.ts`) it prints one JSON line with the
// URLs once all four listen; GET /stats on any of them reports that subgraph's cache use.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { GraphQLSchema } from 'graphql';
import { ApolloServer } from '@apollo/server';
import { replayCache } from './replay-cache.js';
import { accounts } from './accounts.js';
import { inventory } from './inventory.js';
import { products } from './products.js';
import { reviews } from './reviews.js';

/** In the order of their ports, as in bench/supergraph.yaml. */
export const SUBGRAPHS: Record<string, GraphQLSchema> = { accounts, inventory, products, reviews };
export const FIRST_SUBGRAPH_PORT = 4201;

async function serveSubgraph(schema: GraphQLSchema, port: number, host: string) {
  const apollo = new ApolloServer({ schema });
  await apollo.start();
  const cache = replayCache(apollo);
  const server = http.createServer((req, res) => {
    const path = req.url?.split('?')[0];
    if (req.method === 'POST' && path === '/graphql') return void cache.handle(req, res);
    // The router probes /health/ready of every subgraph.
    if (path?.startsWith('/health')) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
    if (path === '/stats') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(cache.stats()));
    res.writeHead(404).end();
  });
  // Longer than the gateways' keep-alive, so they never reuse a socket the server just closed.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  const url = `http://${host}:${(server.address() as AddressInfo).port}/graphql`;
  async function close() {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await apollo.stop();
  }
  return { url, close };
}

export async function startSubgraphs(firstPort = FIRST_SUBGRAPH_PORT, host = '127.0.0.1') {
  const running = await Promise.all(Object.values(SUBGRAPHS).map((schema, i) => serveSubgraph(schema, firstPort + i, host)));
  const urls = Object.fromEntries(Object.keys(SUBGRAPHS).map((name, i) => [name, running[i]!.url]));
  return { urls, close: () => Promise.all(running.map((subgraph) => subgraph.close())).then(() => undefined) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const subgraphs = await startSubgraphs(Number(process.env.BENCH_SUBGRAPH_PORT ?? FIRST_SUBGRAPH_PORT));
  console.log(JSON.stringify({ ready: true, urls: subgraphs.urls }));
  const stop = () => void subgraphs.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
