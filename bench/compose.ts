// Composes bench/supergraph.yaml into bench/supergraph.graphql with @apollo/composition, the
// one supergraph file every gateway in the benchmark is started with. Routing URLs come from
// the running subgraphs when given (BENCH_SUBGRAPH_PORT moves them).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { parse as parseYaml } from 'yaml';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const SUPERGRAPH_FILE = path.join(BENCH_DIR, 'supergraph.graphql');

interface RoverConfig {
  subgraphs: Record<string, { routing_url: string; schema: { file: string } }>;
}

export function composeBenchSupergraph(urls: Record<string, string> = {}): string {
  const config = parseYaml(readFileSync(path.join(BENCH_DIR, 'supergraph.yaml'), 'utf8')) as RoverConfig;
  const services = Object.entries(config.subgraphs).map(([name, { routing_url, schema }]) => ({
    name,
    url: urls[name] ?? routing_url,
    typeDefs: parse(readFileSync(path.resolve(BENCH_DIR, schema.file), 'utf8')),
  }));
  const result = composeServices(services);
  if (result.errors) throw new Error(`bench supergraph does not compose:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  writeFileSync(SUPERGRAPH_FILE, result.supergraphSdl);
  return SUPERGRAPH_FILE;
}
