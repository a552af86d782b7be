// The one list of subgraphs: supergraph.yaml (Rover's config format). A subgraph's name, its
// default port (from routing_url) and its schema file are written there and nowhere else; the
// launcher, the kit, codegen and the deployment checks read them from here.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './services.js';

export interface SubgraphEntry {
  name: string;
  /** Where the router finds it unless <NAME>_URL says otherwise. */
  routingUrl: string;
  /** The port it listens on unless <NAME>_PORT or PORT says otherwise. */
  defaultPort: number;
  /** Its SDL, relative to the repository root. */
  schemaFile: string;
}

interface SupergraphConfig {
  subgraphs?: Record<string, { routing_url?: string; schema?: { file?: string } }>;
}

const cache = new Map<string, SubgraphEntry[]>();

export function listSubgraphs(root: string = REPO_ROOT): SubgraphEntry[] {
  const cached = cache.get(root);
  if (cached) return cached;
  const config = parse(readFileSync(path.join(root, 'supergraph.yaml'), 'utf8')) as SupergraphConfig;
  const entries = Object.entries(config.subgraphs ?? {}).map(([name, subgraph]) => {
    if (!subgraph.routing_url || !subgraph.schema?.file) throw new Error(`supergraph.yaml: subgraph ${name} needs routing_url and schema.file`);
    const url = new URL(subgraph.routing_url);
    return { name, routingUrl: subgraph.routing_url, defaultPort: Number(url.port), schemaFile: subgraph.schema.file };
  });
  cache.set(root, entries);
  return entries;
}

export function subgraphEntry(name: string, root: string = REPO_ROOT): SubgraphEntry {
  const entry = listSubgraphs(root).find((subgraph) => subgraph.name === name);
  if (!entry) throw new Error(`subgraph ${name} is not listed in supergraph.yaml`);
  return entry;
}
