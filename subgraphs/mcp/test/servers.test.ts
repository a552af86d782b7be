// Registering MCP servers: what a user may register (URLs of the transport's scheme that do not
// lead into a private network, allow-listed commands only for stdio, plain headers stored
// encrypted), and that a server is its owner's alone.
import { useService } from '@builderai/testkit';
import mcpSubgraph from '../src/index.js';
import { admin, as, errorCodesOf, expectNoGraphQLErrors, newUserId, TEST_ENV } from './helpers.js';
import { RegisterServerDocument, RemoveServerDocument, ServerDocument, UpdateServerDocument, UserServersDocument } from './generated/operations.js';
import type { RegisterMcpServerInput } from './generated/operations.js';

describe('registering servers', () => {
  const mcp = useService(mcpSubgraph, { env: TEST_ENV });
  const register = (userId: string, input: RegisterMcpServerInput) => mcp.request(RegisterServerDocument, { input }, as(userId));
  const refusal = async (userId: string, input: RegisterMcpServerInput) => {
    const { body } = await register(userId, input);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    return { field: body.errors![0].extensions.field as string, message: body.errors![0].message as string };
  };

  it('registers a server with encrypted headers, and shows their names only', async () => {
    const userId = newUserId();
    const { registerMcpServer: server } = expectNoGraphQLErrors(
      await register(userId, { name: ' Docs ', transport: 'STREAMABLE_HTTP', url: 'http://127.0.0.1:9/mcp', fallbackUrls: ['http://localhost:9/mcp'], headers: [{ name: 'X-Api-Key', value: 'sk-secret-123' }], timeoutMs: 2000 }),
    );
    expect(server).toMatchObject({ name: 'Docs', transport: 'STREAMABLE_HTTP', url: 'http://127.0.0.1:9/mcp', fallbackUrls: ['http://localhost:9/mcp'], headerNames: ['x-api-key'], timeoutMs: 2000, status: 'UNKNOWN', owner: { id: userId } });
    const row = await mcp.db.mcpServer.findUniqueOrThrow({ where: { id: server.id } });
    expect(row.sealedHeaders).toEqual(expect.any(String));
    expect(row.sealedHeaders).not.toContain('sk-secret-123');
    expect(JSON.stringify(expectNoGraphQLErrors(await mcp.request(ServerDocument, { id: server.id }, as(userId))))).not.toContain('sk-secret-123');
    // The user's list.
    const { _entities } = expectNoGraphQLErrors(await mcp.request(UserServersDocument, { representations: [{ __typename: 'User', id: userId }] }, as(userId)));
    expect(_entities).toEqual([{ id: userId, mcpServers: [{ id: server.id, name: 'Docs', status: 'UNKNOWN' }] }]);
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'url', /metadata|link-local/i],
    ['http://10.0.0.1/mcp', 'url', /private/i],
    ['http://192.168.1.10/mcp', 'url', /private/i],
    ['http://[fd00::1]/mcp', 'url', /private|unique/i],
    ['http://0.0.0.0:80/', 'url', /not|unspecified|this network/i],
    ['ftp://example.com/mcp', 'url', /must start with http/],
    ['ws://127.0.0.1:9/mcp', 'url', /must start with http/],
    ['http://user:pass@127.0.0.1:9/mcp', 'url', /credentials/],
    ['not a url', 'url', /not a URL/],
  ])('refuses the URL %s', async (url, field, message) => {
    const refused = await refusal(newUserId(), { name: 'Bad', transport: 'STREAMABLE_HTTP', url });
    expect(refused.field).toBe(field);
    expect(refused.message).toMatch(message);
  });

  it('refuses a fallback URL into a private network, and a stdio command that is not allow-listed', async () => {
    const userId = newUserId();
    expect(await refusal(userId, { name: 'F', transport: 'SSE', url: 'http://127.0.0.1:9/sse', fallbackUrls: ['http://10.1.2.3/sse'] })).toMatchObject({ field: 'fallbackUrls' });
    expect(await refusal(userId, { name: 'S', transport: 'STDIO', command: 'bash -c "curl evil"' })).toMatchObject({ field: 'command', message: expect.stringMatching(/not an allowed command; allowed: everything/) });
    expect(await refusal(userId, { name: 'S', transport: 'STDIO', command: 'everything', url: 'http://127.0.0.1:9/' })).toMatchObject({ field: 'url' });
    expect(await refusal(userId, { name: 'H', transport: 'STREAMABLE_HTTP', url: 'http://127.0.0.1:9/', headers: [{ name: 'Host', value: 'evil' }] })).toMatchObject({ field: 'headers' });
    expect(await refusal(userId, { name: 'H', transport: 'STREAMABLE_HTTP', url: 'http://127.0.0.1:9/', headers: [{ name: 'X-A', value: 'a\r\nInjected: 1' }] })).toMatchObject({ field: 'headers' });
    expect(await refusal(userId, { name: 'T', transport: 'STREAMABLE_HTTP', url: 'http://127.0.0.1:9/', timeoutMs: 10 })).toMatchObject({ field: 'timeoutMs' });
    expect(await refusal(userId, { name: '', transport: 'STREAMABLE_HTTP', url: 'http://127.0.0.1:9/' })).toMatchObject({ field: 'name' });
    expect(await mcp.db.mcpServer.count({ where: { userId } })).toBe(0);
    const stdio = expectNoGraphQLErrors(await register(userId, { name: 'Everything', transport: 'STDIO', command: 'everything' })).registerMcpServer;
    expect(stdio).toMatchObject({ transport: 'STDIO', command: 'everything', url: null });
  });

  it('keeps names unique per user', async () => {
    const userId = newUserId();
    expectNoGraphQLErrors(await register(userId, { name: 'One', transport: 'STREAMABLE_HTTP', url: 'http://127.0.0.1:9/mcp' }));
    expect(await refusal(userId, { name: 'One', transport: 'SSE', url: 'http://127.0.0.1:9/sse' })).toMatchObject({ field: 'name', message: expect.stringMatching(/already/) });
    expectNoGraphQLErrors(await register(newUserId(), { name: 'One', transport: 'STREAMABLE_HTTP', url: 'http://127.0.0.1:9/mcp' }));
  });

  it("is its owner's alone: others get NOT_FOUND, an admin may read but not change it", async () => {
    const owner = newUserId();
    const { id } = expectNoGraphQLErrors(await register(owner, { name: 'Mine', transport: 'STREAMABLE_HTTP', url: 'http://127.0.0.1:9/mcp' })).registerMcpServer;
    const stranger = as(newUserId());
    expect(expectNoGraphQLErrors(await mcp.request(ServerDocument, { id }, stranger)).mcpServer).toBeNull();
    expect(errorCodesOf(await mcp.request(UpdateServerDocument, { id, input: { name: 'Theirs' } }, stranger))).toEqual(['NOT_FOUND']);
    expect(errorCodesOf(await mcp.request(RemoveServerDocument, { id }, stranger))).toEqual(['NOT_FOUND']);
    expect(expectNoGraphQLErrors(await mcp.request(ServerDocument, { id }, admin())).mcpServer?.name).toBe('Mine');
    expect(errorCodesOf(await mcp.request(UpdateServerDocument, { id, input: { name: 'Admin' } }, admin()))).toEqual(['FORBIDDEN']);
    expect(errorCodesOf(await mcp.request(RegisterServerDocument, { input: { name: 'Anon', transport: 'STREAMABLE_HTTP', url: 'http://127.0.0.1:9/' } }))).toEqual(['UNAUTHENTICATED']);
    // The owner changes and removes it.
    const updated = expectNoGraphQLErrors(await mcp.request(UpdateServerDocument, { id, input: { name: 'Renamed', headers: [{ name: 'authorization', value: 'Bearer x' }] } }, as(owner))).updateMcpServer;
    expect(updated).toMatchObject({ name: 'Renamed', url: 'http://127.0.0.1:9/mcp', headerNames: ['authorization'] });
    expect(expectNoGraphQLErrors(await mcp.request(RemoveServerDocument, { id }, as(owner))).removeMcpServer).toBe(id);
    expect(await mcp.db.mcpServer.findUnique({ where: { id } })).toBeNull();
  });
});
