// docker-compose.yml cannot run here (no Docker engine), so it is checked by reading it: every
// subgraph has a service, the router knows where each one is, and supergraph.yaml agrees.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { listSubgraphs } from '@builderai/kit';
import { REPO_ROOT } from '@builderai/kit/services';

const SUBGRAPHS = listSubgraphs();

const compose = parse(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8'));
const supergraph = parse(readFileSync(path.join(REPO_ROOT, 'supergraph.yaml'), 'utf8'));

test('docker-compose runs the infrastructure, a migration step and the router', () => {
  for (const name of ['postgres', 'redis', 'rabbitmq', 's3', 'migrate', 'router']) expect(compose.services).toHaveProperty(name);
  expect(compose.services.router.ports).toContain('4000:4000');
});

test.each(SUBGRAPHS.map((entry) => [entry.name, entry.defaultPort] as const))('subgraph %s is deployed and routed on port %i', (name, port) => {
  const service = compose.services[name];
  expect(service).toBeDefined();
  const entryPoint = service.command.find((part: string) => part.endsWith('.ts'));
  expect(existsSync(path.join(REPO_ROOT, entryPoint))).toBe(true);
  expect(service.environment.PORT).toBe(String(port));
  expect(compose.services.router.environment[`${name.toUpperCase()}_URL`]).toBe(`http://${name}:${port}/graphql`);
  expect(supergraph.subgraphs[name]).toEqual({
    routing_url: `http://localhost:${port}/graphql`,
    schema: { file: `./subgraphs/${name}/schema.graphql` },
  });
});

test('every subgraph in supergraph.yaml runs in the platform', () => {
  expect(Object.keys(supergraph.subgraphs).sort()).toEqual(SUBGRAPHS.map((entry) => entry.name).sort());
});

// Browsers reach the router, the files service (uploads, downloads, previews) and the mcp
// service (its OAuth callback); nothing else is published beyond this machine.
test('compose publishes only the router, the files service and the mcp service beyond this machine', () => {
  const published = Object.entries(compose.services as Record<string, { ports?: string[] }>).flatMap(([name, service]) =>
    (service.ports ?? []).map((port) => [name, port] as const),
  );
  for (const [name, port] of published) {
    if (name === 'router' || name === 'files' || name === 'mcp') continue;
    expect(`${name} ${port}`).toMatch(new RegExp(`^${name} 127\\.0\\.0\\.1:`));
  }
  expect(published.filter(([, port]) => !port.startsWith('127.0.0.1:')).map(([name]) => name).sort()).toEqual(['files', 'mcp', 'router']);
});

test('compose has no usable default for any key, and gives each only to those that use it', () => {
  const raw = readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
  const required = (name: string) => new RegExp(`^\\$\\{${name}:\\?`);
  expect(compose['x-service'].environment.IDENTITY_PUBLIC_KEY).toMatch(required('IDENTITY_PUBLIC_KEY'));
  expect(compose['x-service'].environment.SERVICE_TOKEN_SECRET).toMatch(required('SERVICE_TOKEN_SECRET'));
  expect(compose.services.router.environment.IDENTITY_PRIVATE_KEY).toMatch(required('IDENTITY_PRIVATE_KEY'));
  expect(compose.services.files.environment.FILES_URL_SECRET).toMatch(required('FILES_URL_SECRET'));
  const holders = (name: string) => Object.entries(compose.services as Record<string, { environment?: Record<string, unknown> }>)
    .filter(([, service]) => service.environment?.[name] !== undefined)
    .map(([service]) => service);
  expect(holders('IDENTITY_PRIVATE_KEY')).toEqual(['router']);
  expect(holders('FILES_URL_SECRET')).toEqual(['files']);
  expect(compose.services.auth.environment.NOTIFICATIONS_PUBLIC_KEY).toMatch(required('NOTIFICATIONS_PUBLIC_KEY'));
  expect(raw).not.toMatch(/NOTIFICATIONS_PRIVATE_KEY/);
  expect(raw).not.toMatch(/(KEY|SECRET):-/);
});
