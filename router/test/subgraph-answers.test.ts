// How the router reads a subgraph's answer off the wire: bytes gathered whatever their chunks
// (a character split between two), large answers whole, and what is not a GraphQL answer
// refused with a code.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, generateKeys } from '@builderai/kit';
import { SubgraphDataSource } from '../src/subgraph-fetch/data-source.js';
import { metricsFeature } from '../src/metrics/index.js';

type Answer = (res: http.ServerResponse) => void;
let answer: Answer;
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => req.resume().on('end', () => answer(res)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

function dataSource(timeoutMs = 5000) {
  return new SubgraphDataSource({ name: 'accounts', url, identityPrivateKey: generateKeys().identityPrivateKey, connections: 4, timeoutMs, logger: createLogger('test', 'silent'), metrics: metricsFeature().instruments });
}

const request = { request: { query: '{ me { name } }', operationName: undefined } } as never;

test('an answer written in pieces, a character split between two, arrives whole', async () => {
  const json = Buffer.from(JSON.stringify({ data: { me: { name: 'Zoë Ångström 東京' } } }));
  const split = json.indexOf(Buffer.from('ë')) + 1;
  answer = (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(json.subarray(0, split));
    setTimeout(() => res.end(json.subarray(split)), 20);
  };
  const source = dataSource();
  await expect(source.processJson(request, '{}')).resolves.toEqual({ data: { me: { name: 'Zoë Ångström 東京' } } });
  await source.close();
});

test('a large answer arrives whole', async () => {
  const names = Array.from({ length: 5000 }, (_, i) => `user ${i} ${'x'.repeat(100)}`);
  answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { names } }));
  const source = dataSource();
  const result = await source.processJson(request, '{}');
  expect((result.data as { names: string[] }).names).toEqual(names);
  await source.close();
});

test('a page that is not GraphQL is refused with its status; a silent subgraph is unavailable', async () => {
  answer = (res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
  const source = dataSource(300);
  await expect(source.processJson(request, '{}')).rejects.toMatchObject({ message: 'Subgraph accounts answered HTTP 502', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  answer = () => undefined;
  await expect(source.processJson(request, '{}')).rejects.toThrow('Subgraph accounts is unavailable');
  await source.close();
});
