// The ceiling: the least work any Node gateway does to answer the bench operation. Per request
// it reads and parses the client's body, sends the plan's subgraph requests in the plan's order
// (Sequence in turn, Parallel together) over undici keep-alive pools, parses every answer, and
// writes the answer with JSON.stringify; no validation, merging or shaping. The request bodies
// are the router's own (recorded once at start from its executor), so this is the router's
// plan with everything but I/O and JSON taken away.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { Pool } from 'undici';
import { Supergraph } from '@apollo/federation-internals';
import type { FetchNode, PlanNode } from '@apollo/query-planner';
import { OperationPlans } from '../../router/src/plan-executor/operation-plans.js';
import { runPlan } from '../../router/src/plan-executor/executor.js';
import { OPERATION } from '../operation.js';

const supergraphSdl = readFileSync(process.env.BENCH_SUPERGRAPH!, 'utf8');
const pools = new Map([...Supergraph.build(supergraphSdl).subgraphs().values()].map((subgraph) => [subgraph.name, { pool: new Pool(new URL(subgraph.url).origin, { connections: 128 }), path: new URL(subgraph.url).pathname }]));

function post(serviceName: string, body: string): Promise<unknown> {
  const { pool, path } = pools.get(serviceName)!;
  return pool
    .request({ path, method: 'POST', headers: { 'content-type': 'application/json' }, body })
    .then((response) => response.body.text())
    .then((text) => JSON.parse(text) as unknown);
}

// Record the router's request body for each fetch of the plan, by running its executor once.
const plans = new OperationPlans(supergraphSdl);
const planned = plans.planned(parse(OPERATION), undefined, 'bench');
const bodies = new Map<string, string>();
const keyOf = (operation: string, path: readonly (string | number)[]) => `${JSON.stringify(path)}\n${operation}`;
const recording = Object.fromEntries(
  [...pools.keys()].map((name) => [
    name,
    {
      process: () => Promise.reject(new Error('JSON only')),
      processJson: (options: { request: { query: string }; pathInIncomingRequest: (string | number)[] }, variablesJson: string) => {
        const body = `{"query":${JSON.stringify(options.request.query)},"variables":${variablesJson}}`;
        bodies.set(keyOf(options.request.query, options.pathInIncomingRequest), body);
        return post(name, body);
      },
    },
  ]),
);
const recorded = await runPlan({ request: { variables: {} }, context: {}, metrics: {} } as never, planned, plans.supergraphSchema, recording as never);
if (!recorded.data || recorded.errors) throw new Error(`the recording run failed: ${JSON.stringify(recorded.errors)}`);
const answer = { data: JSON.parse(JSON.stringify(recorded.data)) as unknown };

async function runNode(node: PlanNode, path: (string | number)[]): Promise<void> {
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await runNode(child, path);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => runNode(child, path)));
      return;
    case 'Flatten':
      return runNode(node.node, [...path, ...node.path]);
    case 'Fetch': {
      const body = bodies.get(keyOf((node as FetchNode).operation, path));
      if (body) await post(node.serviceName, body);
      return;
    }
    default:
      throw new Error(`the bench plan has no ${node.kind} node`);
  }
}

const server = http.createServer((req, res) => {
  let text = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (text += chunk));
  req.on('end', () => {
    JSON.parse(text);
    runNode(planned.plan.node as PlanNode, []).then(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end(`${JSON.stringify(answer)}\n`),
      (error: Error) => res.writeHead(500).end(error.message),
    );
  });
});
server.listen(Number(process.env.BENCH_PORT), '127.0.0.1', () => console.log(`ceiling ready with ${bodies.size} recorded fetches`));

const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
