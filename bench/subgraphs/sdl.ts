// Each subgraph's SDL lives in <name>.graphql beside it, the files bench/supergraph.yaml composes.
import { readFileSync } from 'node:fs';
import { parse, type DocumentNode } from 'graphql';

export const sdlOf = (name: string): DocumentNode => parse(readFileSync(new URL(`./${name}.graphql`, import.meta.url), 'utf8'));
