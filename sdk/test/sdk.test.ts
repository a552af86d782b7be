// The SDK against the running platform: typed functions, typed results, coded errors.
import { BuilderAIError, createClient } from '@builderai/sdk';
import { eventually, uniqueEmail } from '@builderai/testkit';
import { startTestPlatform, type RunningPlatform } from '@builderai/platform/testing';

let platform: RunningPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform?.close());

test('registers and reads me with typed results', async () => {
  let accessToken: string | undefined;
  const client = createClient({ url: platform.graphqlUrl, accessToken: () => accessToken });
  const email = uniqueEmail('sdk');

  const { register } = await client.register({ input: { email, password: 'correct horse 42', name: 'Grace Hopper' } });
  accessToken = register.accessToken;
  const userId: string = register.user.id;

  const me = await eventually(async () => {
    const { me } = await client.me();
    return me?.profile ? me : undefined;
  });
  expect(me.id).toBe(userId);
  expect(me.email).toBe(email);
  expect(me.status).toBe('ACTIVE');
  const name: string | null = me.profile!.name;
  expect(name).toBe('Grace Hopper');

  const { updateProfile } = await client.updateProfile({ input: { username: `grace_${Date.now().toString(36)}` } });
  expect(updateProfile.profile?.username).toMatch(/^grace_/);
});

test('errors carry their GraphQL code', async () => {
  const client = createClient({ url: platform.graphqlUrl });
  const failure = await client.login({ input: { email: uniqueEmail('nobody'), password: 'wrong password 1' } }).catch((error) => error);
  expect(failure).toBeInstanceOf(BuilderAIError);
  expect(failure.code).toBe('UNAUTHENTICATED');
});
