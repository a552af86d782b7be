// Where each subgraph listens: its own <NAME>_PORT, else PORT, else the port of its
// routing_url in supergraph.yaml; the host and body limit are every service's.
import { ConfigError, listSubgraphs, loadServerConfig } from '../src/index.js';

test.each([
  ['auth', 4001],
  ['users', 4002],
  ['projects', 4003],
  ['files', 4004],
])('%s listens on %i by default, the port of its routing_url', (name, port) => {
  expect(loadServerConfig(name, {})).toEqual({ port, host: '127.0.0.1', maxBodyBytes: 1_000_000, livenessStuckMs: 60_000 });
  expect(listSubgraphs().find((entry) => entry.name === name)?.routingUrl).toBe(`http://localhost:${port}/graphql`);
});

test.each(['auth', 'users', 'projects', 'files'])('%s prefers its own <NAME>_PORT over PORT', (name) => {
  expect(loadServerConfig(name, { PORT: '5000' }).port).toBe(5000);
  expect(loadServerConfig(name, { PORT: '5000', [`${name.toUpperCase()}_PORT`]: '5001' }).port).toBe(5001);
});

test('names a bad port variable', () => {
  expect(() => loadServerConfig('files', { FILES_PORT: 'ten' })).toThrow(ConfigError);
  expect(() => loadServerConfig('files', { FILES_PORT: 'ten' })).toThrow(/FILES_PORT/);
});

test('refuses a subgraph supergraph.yaml does not list', () => {
  expect(() => loadServerConfig('nowhere', {})).toThrow(/not listed in supergraph.yaml/);
});
