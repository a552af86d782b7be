// Auth's retention rules: sessions and tokens some days past expiry are deleted (a session's
// refresh tokens with it); live sessions keep working.
import { DAY_MS, createLogger, startRetention, type Logger } from '@builderai/kit';
import { expectNoGraphQLErrors, type TestService } from '@builderai/testkit';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import { authRetentionRules } from '../src/domain/retention.js';
import { identityOf, login, refresh, register, useAuthService } from './helpers.js';

let auth: TestService;
let db: PrismaClient;
const logger: Logger = createLogger('auth-retention-test', 'silent');

useAuthService((started) => ({ auth, db } = started));

test('sessions expired longer ago than the retention go with their refresh tokens; live ones keep working', async () => {
  const { email } = await register(auth);
  const expired = await login(auth, email);
  const live = await login(auth, email);
  const expiredSession = identityOf(expired.accessToken).sessionId!;
  const liveSession = identityOf(live.accessToken).sessionId!;
  const longAgo = new Date(Date.now() - 10 * DAY_MS);
  await db.session.update({ where: { id: expiredSession }, data: { expiresAt: longAgo } });
  await db.refreshToken.updateMany({ where: { sessionId: expiredSession }, data: { expiresAt: longAgo } });
  // A spent token of the live session, long expired as well.
  const spent = await db.refreshToken.findFirstOrThrow({ where: { sessionId: liveSession } });
  const next = expectNoGraphQLErrors(await refresh(auth, live.refreshToken)).refreshToken;
  await db.refreshToken.update({ where: { id: spent.id }, data: { expiresAt: longAgo } });

  const retention = startRetention({ db, rules: authRetentionRules(7), logger, intervalMs: 0 });
  const deleted = await retention.runOnce();
  await retention.stop();

  expect(deleted.sessions).toBeGreaterThanOrEqual(1);
  expect(await db.session.findUnique({ where: { id: expiredSession } })).toBeNull();
  expect(await db.refreshToken.count({ where: { sessionId: expiredSession } })).toBe(0);
  expect(await db.refreshToken.findUnique({ where: { id: spent.id } })).toBeNull();
  expect(await db.session.findUnique({ where: { id: liveSession } })).not.toBeNull();
  expect(expectNoGraphQLErrors(await refresh(auth, next.refreshToken)).refreshToken.user.email).toBe(email);
});

test('sessions expired fewer days ago than the retention stay', async () => {
  const { email } = await register(auth);
  const recent = await login(auth, email);
  const sessionId = identityOf(recent.accessToken).sessionId!;
  await db.session.update({ where: { id: sessionId }, data: { expiresAt: new Date(Date.now() - 2 * DAY_MS) } });
  const retention = startRetention({ db, rules: authRetentionRules(7), logger, intervalMs: 0 });
  await retention.runOnce();
  await retention.stop();
  expect(await db.session.findUnique({ where: { id: sessionId } })).not.toBeNull();
});
