// The committed supergraph and API schema are what composition gives today (run
// `npm run compose` and commit when this fails), and composition problems are reported clearly.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_SCHEMA_FILE, CompositionError, SUPERGRAPH_FILE, composeSupergraph } from '../src/composition.js';
import { resolveSubgraphUrls, routingUrlsOf } from '../src/subgraphs.js';
import { FIXTURES_ROOT } from './helpers.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the committed supergraph', () => {
  const fresh = composeSupergraph(REPO_ROOT);

  test(`${SUPERGRAPH_FILE} is current (else run npm run compose)`, () => {
    expect(readFileSync(path.join(REPO_ROOT, SUPERGRAPH_FILE), 'utf8')).toBe(fresh.supergraphSdl);
  });

  test(`${API_SCHEMA_FILE} is current (else run npm run compose)`, () => {
    expect(readFileSync(path.join(REPO_ROOT, API_SCHEMA_FILE), 'utf8')).toBe(fresh.apiSchemaSdl);
  });
});

describe('composeSupergraph', () => {
  test('composes the subgraphs listed in supergraph.yaml, with their routing URLs', () => {
    const { supergraphSdl, apiSchemaSdl } = composeSupergraph(FIXTURES_ROOT);
    expect(routingUrlsOf(supergraphSdl)).toEqual({ accounts: 'http://localhost:4901/graphql', catalog: 'http://localhost:4902/graphql' });
    expect(apiSchemaSdl).toContain('whoami: Viewer!');
    expect(apiSchemaSdl).toContain('title: String @deprecated(reason: "Use name.")');
    expect(apiSchemaSdl).not.toMatch(/join__|link__|_entities|_service/);
  });

  test('routing URLs give way to <NAME>_URL and to explicit overrides', () => {
    const { supergraphSdl } = composeSupergraph(FIXTURES_ROOT);
    const urls = resolveSubgraphUrls(supergraphSdl, { ACCOUNTS_URL: 'http://accounts:4001/graphql' }, { catalog: 'http://127.0.0.1:9/graphql' });
    expect(urls).toEqual({ accounts: 'http://accounts:4001/graphql', catalog: 'http://127.0.0.1:9/graphql' });
  });

  test('reports every composition error with its code', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'compose-'));
    const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])\n';
    writeFileSync(path.join(root, 'a.graphql'), `${link}type Query { thing: Thing } type Thing { id: ID! }`);
    writeFileSync(path.join(root, 'b.graphql'), `${link}type Query { other: Thing } type Thing { id: String! }`);
    writeFileSync(
      path.join(root, 'supergraph.yaml'),
      'federation_version: =2.14.4\nsubgraphs:\n  a:\n    routing_url: http://a/graphql\n    schema:\n      file: ./a.graphql\n  b:\n    routing_url: http://b/graphql\n    schema:\n      file: ./b.graphql\n',
    );
    const failure = (() => {
      try {
        composeSupergraph(root);
      } catch (error) {
        return error as CompositionError;
      }
    })();
    expect(failure).toBeInstanceOf(CompositionError);
    expect(failure!.problems).toEqual([expect.stringMatching(/^\[FIELD_TYPE_MISMATCH\] .*"Thing\.id"/), expect.stringMatching(/^\[INVALID_FIELD_SHARING\] /)]);
    expect(failure!.message).toMatch(/^Composition failed:\n {2}- \[FIELD_TYPE_MISMATCH\]/);
  });

  test('names the subgraph whose schema file is missing or does not parse', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'compose-'));
    writeFileSync(path.join(root, 'broken.graphql'), 'type Query {');
    writeFileSync(
      path.join(root, 'supergraph.yaml'),
      'subgraphs:\n  broken:\n    routing_url: http://x/graphql\n    schema:\n      file: ./broken.graphql\n  gone:\n    routing_url: http://y/graphql\n    schema:\n      file: ./gone.graphql\n',
    );
    expect(() => composeSupergraph(root)).toThrow(/broken \(broken\.graphql\): Syntax Error[\s\S]*gone \(gone\.graphql\): ENOENT/);
  });
});
