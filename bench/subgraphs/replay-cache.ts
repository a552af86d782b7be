// A subgraph behind a replay cache keyed by the request body: the first answer to a body is
// computed by the real subgraph schema through Apollo Server, later ones are the same bytes
// replayed from memory. Node subgraphs sharing the gateway's two cores would otherwise cost
// more CPU than the gateway under test, and the benchmark would measure them instead.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';

interface Answer {
  status: number;
  contentType: string;
  body: Buffer;
}

export interface ReplayStats {
  hits: number;
  misses: number;
  entries: number;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export function replayCache(apollo: ApolloServer, maxEntries = 10_000) {
  // Promises, so concurrent first requests for one body compute it once.
  const answers = new Map<string, Promise<Answer>>();
  const stats = { hits: 0, misses: 0 };

  async function compute(body: string): Promise<Answer> {
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: JSON.parse(body) },
      context: async () => ({}),
    });
    if (response.body.kind !== 'complete') throw new Error('incremental delivery is not part of the benchmark');
    return { status: response.status ?? 200, contentType: response.headers.get('content-type') ?? 'application/json', body: Buffer.from(response.body.string) };
  }

  function answerTo(body: string): Promise<Answer> {
    const cached = answers.get(body);
    if (cached) {
      stats.hits++;
      return cached;
    }
    stats.misses++;
    const computed = compute(body);
    if (answers.size < maxEntries) answers.set(body, computed);
    // Only successful answers are replayed.
    computed.then((answer) => answer.status === 200 || answers.delete(body), () => answers.delete(body));
    return computed;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const answer = await answerTo(await readBody(req));
      res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': answer.body.length });
      res.end(answer.body);
    } catch (error) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: (error as Error).message }] }));
    }
  }

  return { handle, stats: (): ReplayStats => ({ ...stats, entries: answers.size }) };
}
