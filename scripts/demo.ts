// `npm run demo`: a short tour of the API through the SDK, against a running platform
// (`npm start` in another terminal). BUILDERAI_URL points it elsewhere.
import { createClient } from '@builderai/sdk';

const url = process.env.BUILDERAI_URL ?? 'http://localhost:4000/graphql';
let accessToken: string | undefined;
const client = createClient({ url, accessToken: () => accessToken });
const step = (text: string) => console.log(`\n▸ ${text}`);

try {
  const email = `demo-${Date.now().toString(36)}@example.com`;
  step(`register ${email}`);
  const { register } = await client.register({ input: { email, password: 'correct horse battery 9', name: 'Demo Maker' } });
  accessToken = register.accessToken;
  console.log(`  user ${register.user.id}, access token valid until ${register.accessTokenExpiresAt}`);

  step('pick a username');
  const { updateProfile } = await client.updateProfile({ input: { username: `maker_${Date.now().toString(36)}`, bio: 'Builds apps by chatting.' } });
  console.log(`  @${updateProfile.profile?.username}`);

  step('rotate the refresh token');
  const { refreshToken } = await client.refreshToken({ token: register.refreshToken });
  accessToken = refreshToken.accessToken;
  console.log('  new access and refresh tokens issued; the old refresh token is spent');

  step('read me (auth + users subgraphs in one query)');
  const { me } = await client.me();
  console.log(JSON.stringify(me, null, 2).replace(/^/gm, '  '));

  step('list sessions');
  const { sessions } = await client.sessions();
  for (const session of sessions) console.log(`  ${session.id} ${session.current ? '(this one)' : ''}`);
} catch (error) {
  console.error(`demo failed against ${url}: ${(error as Error).message}\nIs the platform running (npm start)?`);
  process.exit(1);
}
