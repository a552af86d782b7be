// setAccountStatus: admins only; suspending ends every session and blocks sign-in and refresh.
import { revokedSessionKey } from '@builderai/kit';
import { expectNoGraphQLErrors, type TestService } from '@builderai/testkit';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import {
  PASSWORD,
  errorOf,
  identityOf,
  login,
  refresh,
  register,
  uniqueIp,
  useAuthService,
} from './helpers.js';
import { LoginDocument, SetAccountStatusDocument, UserEntitiesDocument } from './generated/operations.js';

describe('account status', () => {
  let auth: TestService;
  let db: PrismaClient;

  useAuthService((started) => ({ auth, db } = started));

  async function signedInAdmin() {
    const admin = await register(auth);
    await db.user.update({ where: { id: admin.user.id }, data: { role: 'ADMIN' } });
    const payload = await login(auth, admin.email);
    expect(identityOf(payload.accessToken).roles).toEqual(['ADMIN']);
    return identityOf(payload.accessToken);
  }

  it('is FORBIDDEN to a user who is not an admin, and UNAUTHENTICATED to nobody', async () => {
    const user = await register(auth);
    const target = await register(auth);
    const asUser = await auth.request(SetAccountStatusDocument, { userId: target.user.id, status: 'SUSPENDED' }, identityOf(user.accessToken));
    expect(errorOf(asUser).extensions.code).toBe('FORBIDDEN');
    const anonymous = await auth.request(SetAccountStatusDocument, { userId: target.user.id, status: 'SUSPENDED' }, { roles: [] });
    expect(errorOf(anonymous).extensions.code).toBe('UNAUTHENTICATED');
    expect((await db.user.findUniqueOrThrow({ where: { id: target.user.id } })).status).toBe('ACTIVE');
  });

  it('suspension revokes every session at once and blocks login and refresh; reactivation lets them in', async () => {
    const admin = await signedInAdmin();
    const target = await register(auth);
    const second = await login(auth, target.email);
    const sessionIds = [identityOf(target.accessToken).sessionId!, identityOf(second.accessToken).sessionId!];

    const suspended = await auth.request(SetAccountStatusDocument, { userId: target.user.id, status: 'SUSPENDED' }, admin);
    expect(expectNoGraphQLErrors(suspended)).toEqual({ setAccountStatus: { id: target.user.id, status: 'SUSPENDED' } });

    expect(await auth.infra.store.flagged(sessionIds.map(revokedSessionKey))).toEqual([true, true]);
    expect(errorOf(await refresh(auth, second.refreshToken)).extensions.code).toBe('UNAUTHENTICATED');
    const blocked = await auth.request(LoginDocument, { input: { email: target.email, password: PASSWORD } }, { roles: [], ip: uniqueIp() });
    expect(errorOf(blocked).extensions.code).toBe('FORBIDDEN');
    expect(await db.outboxEvent.count({ where: { type: 'auth.user.status_changed', payload: { path: ['userId'], equals: target.user.id } } })).toBe(1);
    expect(
      await db.outboxEvent.count({ where: { type: 'auth.session.revoked', payload: { path: ['userId'], equals: target.user.id } } }),
    ).toBe(2);

    await auth.request(SetAccountStatusDocument, { userId: target.user.id, status: 'ACTIVE' }, admin);
    expect((await login(auth, target.email)).user.status).toBe('ACTIVE');
  });

  it('answers NOT_FOUND for an unknown user', async () => {
    const admin = await signedInAdmin();
    for (const userId of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      expect(errorOf(await auth.request(SetAccountStatusDocument, { userId, status: 'SUSPENDED' }, admin)).extensions.code).toBe('NOT_FOUND');
    }
  });

  it('shows an email only to its owner and to admins', async () => {
    const admin = await signedInAdmin();
    const owner = await register(auth);
    const stranger = await register(auth);
    const variables = { representations: [{ __typename: 'User', id: owner.user.id }] };

    const emailAs = async (identity: Parameters<TestService['request']>[2]) =>
      expectNoGraphQLErrors(await auth.request(UserEntitiesDocument, variables, identity))._entities[0]!.email;
    expect(await emailAs(identityOf(owner.accessToken))).toBe(owner.email);
    expect(await emailAs(admin)).toBe(owner.email);
    expect(await emailAs(identityOf(stranger.accessToken))).toBeNull();
    expect(await emailAs({ roles: [] })).toBeNull();
  });
});
