// Runs a query plan against the subgraphs: sequences in order, parallel branches together,
// each fetch with the variables it uses (and, for entities, the representations read from the
// tree), its answer merged into the tree and its errors kept for the client. A fetch that
// fails is an error; the rest of the plan still runs. The rules are @apollo/gateway's.
import type { GraphQLSchema } from 'graphql';
import { evaluateCondition, type FetchNode, type PlanNode } from '@apollo/query-planner';
import type { GraphQLDataSource } from '@apollo/gateway';
import type { Operation } from '@apollo/federation-internals';
import { applyRewrites, deepMerge, flattenAtPath, representationOf, type Data } from './data-tree.js';
import { representationText, representationWriter } from './representation-text.js';
import { downstreamServiceError, errorPathMapper, type Cursor, type SubgraphError } from './errors.js';

export interface PlanRun {
  serviceMap: Record<string, GraphQLDataSource>;
  /** The request as Apollo Server hands it to the gateway's executor. */
  requestContext: { request: { variables?: Record<string, unknown> }; context: unknown; metrics?: { nonFtv1ErrorPaths?: unknown[] } } & Record<string, unknown>;
  operation: Operation;
  supergraphSchema: GraphQLSchema;
  errors: unknown[];
  /**
   * Entities this request asked for, by selection, variables and representation, each answered
   * once its fetch ends without errors: the same entity asked for again with the same selection
   * on another path of the plan is answered from here (queries only: after a mutation the same
   * entity may read differently).
   */
  knownEntities?: Map<string, Promise<KnownEntity>>;
}

/** An entity's answer from another fetch of the request; undefined when that fetch had errors. */
type KnownEntity = { value: unknown } | undefined;

interface SubgraphResponse {
  data?: Data | null;
  errors?: readonly SubgraphError[];
  extensions?: Record<string, unknown>;
}

/** A data source that also takes its variables as JSON text (the router's own, subgraph-fetch/). */
interface JsonDataSource extends GraphQLDataSource {
  processJson(options: never, variablesJson: string): Promise<SubgraphResponse>;
}

const takesJson = (service: GraphQLDataSource): service is JsonDataSource => typeof (service as Partial<JsonDataSource>).processJson === 'function';

export async function executeNode(run: PlanRun, node: PlanNode, cursor: Cursor | undefined): Promise<void> {
  if (!cursor) return;
  switch (node.kind) {
    case 'Sequence':
      for (const child of node.nodes) await executeNode(run, child, cursor);
      return;
    case 'Parallel':
      await Promise.all(node.nodes.map((child) => executeNode(run, child, cursor)));
      return;
    case 'Flatten': {
      const data = flattenAtPath(cursor.data, node.path);
      await executeNode(run, node.node, data ? { path: [...cursor.path, ...node.path], data, fullResult: cursor.fullResult } : undefined);
      return;
    }
    case 'Fetch':
      try {
        await executeFetch(run, node, cursor);
      } catch (error) {
        run.errors.push(error);
      }
      return;
    case 'Condition': {
      const branch = evaluateCondition(node, run.operation.variableDefinitions, run.requestContext.request.variables) ? node.ifClause : node.elseClause;
      if (branch) await executeNode(run, branch, cursor);
      return;
    }
    case 'Defer':
      throw new Error('@defer support is not available in the gateway');
  }
}

async function executeFetch(run: PlanRun, fetch: FetchNode, cursor: Cursor): Promise<void> {
  const service = run.serviceMap[fetch.serviceName];
  if (!service) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);
  const entities = (Array.isArray(cursor.data) ? cursor.data.filter((entity) => entity !== null && entity !== undefined) : [cursor.data]) as Data[];
  if (entities.length < 1) return;

  // The client's values as sent, for the variables this fetch uses (the subgraph applies defaults).
  const variables: Record<string, unknown> = Object.create(null);
  const provided = run.requestContext.request.variables;
  for (const name of fetch.variableUsages ?? []) {
    if (provided && Object.hasOwn(provided, name) && provided[name] !== undefined) variables[name] = provided[name];
  }

  const request = (variablesJson: string) => sendFetch(run, fetch, cursor, service, variables, variablesJson);
  const dataOf = (response: SubgraphResponse) => answerData(run, fetch, cursor, response);
  const variablesText = JSON.stringify(variables);

  if (!fetch.requires) {
    const data = dataOf(await request(variablesText));
    if (data) applyRewrites(run.supergraphSchema, fetch.outputRewrites, data);
    for (const entity of entities) deepMerge(entity, data);
    return;
  }

  const representations = representationTexts(run.supergraphSchema, fetch, entities);
  if (representations.texts.length < 1) return;
  if ('representations' in variables) throw new Error('Variables cannot contain key "representations"');
  // The fetch's variables with the representations added last, as JSON text.
  const send = (texts: string[]) => request(`${variablesText.slice(0, -1)}${variablesText.length > 2 ? ',' : ''}"representations":[${texts.join(',')}]}`);
  const data = await entityAnswers(run, fetch, representations.texts, variablesText, send, dataOf);
  const count = representations.texts.length;
  if (!data) return;
  const received = data._entities;
  if (!(received && Array.isArray(received))) throw new Error('Expected "data._entities" in response to be an array');
  if (received.length !== count) throw new Error(`Expected "data._entities" to contain ${count} elements`);
  const { entityOf } = representations;
  for (let i = 0; i < entities.length; i++) {
    const entity = received[i] as Data | null | undefined;
    const existing = entities[entityOf[i]!];
    if (entity && !entity.__typename) entity.__typename = existing!.__typename;
    applyRewrites(run.supergraphSchema, fetch.outputRewrites, entity);
    deepMerge(entities[entityOf[i]!]!, entity);
  }
}

/**
 * The `_entities` answer for a fetch's representations (JSON texts): the same entity asked for
 * many times is sent once and its answer given to each, and entities another fetch of this
 * request is already asking for with the same selection (another path of the plan) are awaited
 * from it. With any error every entity is asked for as the gateway asks, all in one request, so
 * errors and their paths are the gateway's.
 */
async function entityAnswers(
  run: PlanRun,
  fetch: FetchNode,
  texts: string[],
  variablesText: string,
  send: (texts: string[]) => Promise<SubgraphResponse>,
  dataOf: (response: SubgraphResponse) => Data | null | undefined,
): Promise<Data | null | undefined> {
  const unique = new Map<string, number>();
  const uniqueTexts: string[] = [];
  const uniqueIndexOf = texts.map((text) => {
    let index = unique.get(text);
    if (index === undefined) {
      index = uniqueTexts.length;
      unique.set(text, index);
      uniqueTexts.push(text);
    }
    return index;
  });
  const count = texts.length;
  const known = run.knownEntities;
  const keyPrefix = known && `${selectionKey(fetch)}\n${variablesText}\n`;
  const answers: unknown[] = new Array(uniqueTexts.length);
  const missing: number[] = [];
  const elsewhere: Array<[index: number, answer: Promise<KnownEntity>]> = [];
  const asking: Array<(answer: KnownEntity) => void> = [];
  uniqueTexts.forEach((text, index) => {
    const asked = known?.get(keyPrefix + text);
    if (asked) elsewhere.push([index, asked]);
    else {
      missing.push(index);
      if (known) known.set(keyPrefix + text, new Promise<KnownEntity>((resolve) => asking.push(resolve)));
    }
  });
  /** Tells the fetches awaiting this one's entities what came (or that they must ask themselves). */
  let settled = false;
  const settle = (fetched: unknown[] | undefined) => {
    if (settled) return;
    settled = true;
    asking.forEach((resolve, i) => resolve(fetched ? { value: fetched[i] } : undefined));
    if (!fetched) for (const index of missing) known?.delete(keyPrefix + uniqueTexts[index]);
  };
  let data: Data | null | undefined;
  try {
    if (missing.length === count) {
      data = dataOf(await send(texts));
      const received = data?._entities;
      settle(run.errors.length === 0 && Array.isArray(received) && received.length === count ? received : undefined);
    } else {
      let fetched: unknown[] | undefined = [];
      if (missing.length > 0) {
        const response = await send(missing.map((index) => uniqueTexts[index]!));
        const entities = (response.data as Data | null | undefined)?._entities;
        fetched = !response.errors && Array.isArray(entities) && entities.length === missing.length ? entities : undefined;
        settle(fetched);
      }
      const fromElsewhere = await Promise.all(elsewhere.map(([, answer]) => answer));
      if (fetched && fromElsewhere.every(Boolean)) {
        missing.forEach((index, i) => (answers[index] = fetched![i]));
        elsewhere.forEach(([index], i) => (answers[index] = fromElsewhere[i]!.value));
        data = { _entities: uniqueIndexOf.map((index) => answers[index]) };
      } else {
        // The gateway's errors (one per entity asked, each with its path) come only from asking
        // for every entity as it does: rare, and then asked again that way.
        data = dataOf(await send(texts));
      }
    }
  } finally {
    settle(undefined);
  }
  return data;
}

/** What identifies a fetch's selection, whatever the planner named its operation. */
const selectionKeys = new WeakMap<FetchNode, string>();
function selectionKey(fetch: FetchNode): string {
  let key = selectionKeys.get(fetch);
  if (key === undefined) selectionKeys.set(fetch, (key = `${fetch.serviceName}\n${fetch.operation.replace(/^(query|subscription)\s*[A-Za-z_][A-Za-z0-9_]*/, '$1')}`));
  return key;
}

/** One request of a fetch; data sources of the router's own take the variables as the JSON text. */
function sendFetch(run: PlanRun, fetch: FetchNode, cursor: Cursor, service: GraphQLDataSource, variables: Record<string, unknown>, variablesJson: string): Promise<SubgraphResponse> {
  const json = takesJson(service);
  const options = {
    kind: 'incoming operation' as never,
    request: { query: fetch.operation, variables: json ? variables : (JSON.parse(variablesJson) as Record<string, unknown>), operationName: fetch.operationName },
    incomingRequestContext: run.requestContext as never,
    context: run.requestContext.context as never,
    document: fetch.operationDocumentNode,
    pathInIncomingRequest: cursor.path,
  };
  return json ? service.processJson(options as never, variablesJson) : (service.process(options as never) as Promise<SubgraphResponse>);
}

/** The answer's data, its errors kept for the client as the gateway words them. */
function answerData(run: PlanRun, fetch: FetchNode, cursor: Cursor, response: SubgraphResponse): Data | null | undefined {
  if (response.errors) {
    const pathOf = errorPathMapper(fetch, cursor);
    run.errors.push(...response.errors.map((error) => downstreamServiceError(error, fetch.serviceName, pathOf)));
    if (!(response.extensions as { ftv1?: unknown } | undefined)?.ftv1) {
      const errorPaths = response.errors.map((error) => ({ subgraph: fetch.serviceName, path: error.path }));
      const metrics = run.requestContext.metrics as { nonFtv1ErrorPaths?: unknown[] };
      if (metrics.nonFtv1ErrorPaths) metrics.nonFtv1ErrorPaths.push(...errorPaths);
      else metrics.nonFtv1ErrorPaths = errorPaths;
    }
  }
  return response.data;
}

/** Each entity's representation as JSON text, and which entity each one is. */
function representationTexts(schema: GraphQLSchema, fetch: FetchNode, entities: Data[]): { texts: string[]; entityOf: number[] } {
  const writer = fetch.inputRewrites?.length ? undefined : representationWriter(fetch.requires!);
  const texts: string[] = [];
  const entityOf: number[] = [];
  entities.forEach((entity, index) => {
    let text = writer ? representationText(schema, entity, writer) : undefined;
    if (text === undefined) {
      const representation = representationOf(schema, entity, fetch.requires!);
      if (representation && representation.__typename) {
        applyRewrites(schema, fetch.inputRewrites, representation);
        text = JSON.stringify(representation);
      } else text = null;
    }
    if (text !== null) {
      texts.push(text);
      entityOf.push(index);
    }
  });
  return { texts, entityOf };
}
