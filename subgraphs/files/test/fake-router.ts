// The router, as the files service sees it when it asks whether a user may use a project: a
// real GraphQL-over-HTTP endpoint that checks the service token (Authorization: Service ...)
// like the router does and answers `project(id)` from an ownership map kept by the test.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, graphql, GraphQLError } from 'graphql';
import { verifyServiceToken, type Identity, type ServiceTokenKeys } from '@builderai/kit';

export interface FakeRouter {
  graphqlUrl: string;
  /** Makes `userId` the owner of `projectId`. */
  own(projectId: string, userId: string): void;
  /** The identities the service acted for, in order. */
  calls: Identity[];
  close(): Promise<void>;
}

const schema = buildSchema(`
  type Query { project(id: ID!): Project }
  type Project { id: ID! }
`);

const answer = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

export async function startFakeRouter(keys: ServiceTokenKeys): Promise<FakeRouter> {
  const owners = new Map<string, string>();
  const calls: Identity[] = [];

  const server = http.createServer(async (req, res) => {
    const [scheme, token] = (req.headers.authorization ?? '').split(' ');
    let identity: Identity;
    try {
      if (scheme !== 'Service' || !token) throw new Error('no service token');
      identity = verifyServiceToken(token, keys);
    } catch {
      return answer(res, 401, { errors: [{ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    calls.push(identity);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const rootValue = {
      // Like the projects service: unknown → null; someone else's → NOT_FOUND.
      project: ({ id }: { id: string }) => {
        const owner = owners.get(id);
        if (!owner) return null;
        if (owner !== identity.userId && !identity.roles.includes('ADMIN')) {
          throw new GraphQLError('Project not found', { extensions: { code: 'NOT_FOUND' } });
        }
        return { id };
      },
    };
    const result = await graphql({ schema, source: query, variableValues: variables, rootValue });
    answer(res, 200, result);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    own: (projectId, userId) => void owners.set(projectId, userId),
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
