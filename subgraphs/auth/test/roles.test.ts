// `npm run user:role`: makes the first administrator and takes the role away again, against
// the auth database of the run; a demotion ends the user's sessions at once.
import { revokedSessionKey } from '@builderai/kit';
import { expectNoGraphQLErrors, type TestService } from '@builderai/testkit';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import { SET_ROLE_USAGE, runSetRole } from '../src/set-role-command.js';
import { errorOf, identityOf, login, refresh, register, useAuthService } from './helpers.js';

let auth: TestService;
let db: PrismaClient;

// The command announces through REDIS_URL, as it does beside a running deployment.
useAuthService((started) => ({ auth, db } = started), { infrastructure: 'real' });

async function setRole(...args: string[]): Promise<{ code: number; output: string[] }> {
  const output: string[] = [];
  const code = await runSetRole(args, process.env, (line) => output.push(line));
  return { code, output };
}

test('wrong arguments print the usage and change nothing', async () => {
  for (const args of [[], ['someone@example.com'], ['someone@example.com', 'ROOT']]) {
    expect(await setRole(...args)).toEqual({ code: 2, output: [SET_ROLE_USAGE] });
  }
});

test('an unknown email is reported', async () => {
  expect(await setRole('nobody-at-all@example.com', 'ADMIN')).toEqual({ code: 1, output: ['no account with the email nobody-at-all@example.com'] });
});

test('promotion: the next access token carries ADMIN, sessions stay, the change is announced', async () => {
  const { email } = await register(auth);
  const { refreshToken, accessToken } = await login(auth, email);
  const userId = identityOf(accessToken).userId!;

  expect(await setRole(email.toUpperCase(), 'admin')).toEqual({ code: 0, output: [`${email} is now ADMIN`] });
  expect(await setRole(email, 'ADMIN')).toEqual({ code: 0, output: [`${email} is already ADMIN`] });
  expect((await db.user.findUniqueOrThrow({ where: { id: userId } })).role).toBe('ADMIN');
  const next = expectNoGraphQLErrors(await refresh(auth, refreshToken)).refreshToken;
  expect(identityOf(next.accessToken).roles).toEqual(['ADMIN']);
  const events = await db.outboxEvent.findMany({ where: { type: 'auth.user.role_changed', payload: { path: ['userId'], equals: userId } } });
  expect(events.map((event) => event.payload)).toEqual([{ userId, role: 'ADMIN' }]);
});

test('demotion ends every session of the user, refused by the router at once', async () => {
  const { email } = await register(auth);
  const { refreshToken, accessToken } = await login(auth, email);
  const { sessionId } = identityOf(accessToken);
  await setRole(email, 'ADMIN');

  const demoted = await setRole(email, 'USER');
  expect(demoted.code).toBe(0);
  expect(demoted.output[0]).toMatch(new RegExp(`^${email} is now USER; \\d+ session\\(s\\) ended$`));
  expect((await auth.infra.store.flagged([revokedSessionKey(sessionId!)]))[0]).toBe(true);
  expect(errorOf(await refresh(auth, refreshToken)).extensions.code).toBe('UNAUTHENTICATED');
});
