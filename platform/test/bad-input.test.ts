// Every bad input of the sign-up path gets a clear, coded answer and changes nothing.
import pg from 'pg';
import { databaseUrlFor, generateKeys, IDENTITY_HEADER, signIdentity } from '@builderai/kit';
import { graphql, uniqueEmail } from '@builderai/testkit';
import { startTestPlatform, type RunningPlatform } from '@builderai/platform/testing';

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { accessToken user { id } } }`;

let platform: RunningPlatform;
const auth = new pg.Pool({ connectionString: databaseUrlFor('auth', process.env), max: 2 });

beforeAll(async () => {
  platform = await startTestPlatform({ MAX_BODY_BYTES: '20000' });
});
afterAll(async () => {
  await platform?.close();
  await auth.end();
});

const rowsFor = async (email: string) => {
  const { rows } = await auth.query(
    `SELECT (SELECT count(*)::int FROM users WHERE email = $1) AS users,
            (SELECT count(*)::int FROM outbox_events WHERE payload->>'email' = $1) AS events`,
    [email],
  );
  return rows[0];
};

test('an invalid email is BAD_USER_INPUT naming the field, and writes nothing', async () => {
  const answer = await graphql(platform.graphqlUrl, REGISTER, { input: { email: 'not-an-email', password: 'correct horse 42', name: 'X' } });
  expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
  expect(await rowsFor('not-an-email')).toEqual({ users: 0, events: 0 });
});

test('a weak password is BAD_USER_INPUT naming the field, and writes nothing', async () => {
  const email = uniqueEmail('weak');
  const answer = await graphql(platform.graphqlUrl, REGISTER, { input: { email, password: 'short', name: 'X' } });
  expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
  expect(await rowsFor(email)).toEqual({ users: 0, events: 0 });
});

test('a duplicate email is CONFLICT, and writes nothing more', async () => {
  const email = uniqueEmail('dup');
  const input = { email, password: 'correct horse 42', name: 'First' };
  expect((await graphql(platform.graphqlUrl, REGISTER, { input })).errors).toBeUndefined();
  const before = await rowsFor(email);
  const again = await graphql(platform.graphqlUrl, REGISTER, { input: { ...input, email: email.toUpperCase() } });
  expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  expect(await rowsFor(email)).toEqual(before);
});

test('a missing, tampered or expired token is UNAUTHENTICATED', async () => {
  const missing = await graphql(platform.graphqlUrl, 'mutation { logout }');
  expect(missing.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

  const email = uniqueEmail('token');
  const registered = await graphql(platform.graphqlUrl, REGISTER, { input: { email, password: 'correct horse 42', name: 'T' } });
  const token: string = registered.data.register.accessToken;
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
  const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: '00000000-0000-0000-0000-000000000000' })).toString('base64url')}.${signature}`;
  const tampered = await graphql(platform.graphqlUrl, '{ me { id } }', {}, { token: forged });
  expect(tampered.status).toBe(401);
  expect(tampered.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

  const expired = `${header}.${Buffer.from(JSON.stringify({ ...claims, exp: claims.iat - 1 })).toString('base64url')}.${signature}`;
  const old = await graphql(platform.graphqlUrl, '{ me { id } }', {}, { token: expired });
  expect(old.status).toBe(401);
  expect(old.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
});

test('a request straight to a subgraph with a forged identity is refused', async () => {
  const subgraph = platform.subgraphs.users!.graphqlUrl;
  const forged = signIdentity({ userId: '00000000-0000-0000-0000-000000000000', roles: ['ADMIN'] }, generateKeys().identityPrivateKey);
  const attempts: Array<Record<string, string>> = [{}, { [IDENTITY_HEADER]: forged }, { [IDENTITY_HEADER]: 'garbage' }];
  for (const headers of attempts) {
    const answer = await graphql(subgraph, '{ me { id } }', {}, { headers });
    expect(answer.status).toBe(401);
    expect(answer.data).toBeUndefined();
  }
});

test('a router-signed identity replayed to another subgraph, or with another request id, is refused', async () => {
  const admin = { userId: '00000000-0000-0000-0000-000000000000', roles: ['ADMIN'] };
  const requestId = 'captured-request-1';
  // As if captured from the router's request to the projects subgraph.
  const captured = signIdentity(admin, platform.keys.identityPrivateKey, { subgraph: 'projects', requestId });
  const send = (subgraph: string, id: string) =>
    graphql(platform.subgraphs[subgraph]!.graphqlUrl, '{ __typename }', {}, { headers: { [IDENTITY_HEADER]: captured, 'x-request-id': id } });
  expect((await send('projects', requestId)).status).toBe(200);
  expect((await send('users', requestId)).status).toBe(401);
  expect((await send('projects', 'another-request')).status).toBe(401);
});

test('malformed GraphQL is HTTP 400 with an error list', async () => {
  const answer = await graphql(platform.graphqlUrl, '{ me { id ');
  expect(answer.status).toBe(400);
  expect(answer.errors?.length).toBeGreaterThan(0);
  expect(answer.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
});

test('a body over the configured size is HTTP 413, and the router keeps serving', async () => {
  const email = uniqueEmail('big');
  const response = await fetch(platform.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: REGISTER, variables: { input: { email, password: 'correct horse 42', name: 'x'.repeat(30_000) } } }),
  });
  expect(response.status).toBe(413);
  expect((await response.json()).errors?.length).toBe(1);
  expect(await rowsFor(email)).toEqual({ users: 0, events: 0 });
  expect((await graphql(platform.graphqlUrl, '{ __typename }')).data).toEqual({ __typename: 'Query' });
});
