// Shared by the users integration tests: a live users subgraph on the run's real Postgres,
// Redis and RabbitMQ, auth's events as auth would publish them, and polling with a deadline.
import { randomBytes, randomUUID } from 'node:crypto';
import { createEnvelope, databaseUrlFor, prismaAdapter, type EventEnvelope, type Identity } from '@builderai/kit';
import { eventually, startTestService, type TestService } from '@builderai/testkit';
import { createUsersSubgraph } from '../src/index.js';
import { PrismaClient } from '../src/generated/prisma/client.ts';

export const startUsers = (): Promise<TestService> => startTestService('users', createUsersSubgraph);

/** A direct connection to the users database, for assertions on what was stored. */
export function usersDatabase(): PrismaClient {
  const url = databaseUrlFor('users');
  if (!url) throw new Error('DATABASE_URL is not set: run the tests through jest (global setup)');
  return new PrismaClient({ adapter: prismaAdapter({ url, max: 2 }) });
}

export const newUserId = () => randomUUID();
export const uniqueUsername = (prefix = 'user') => `${prefix}_${randomBytes(5).toString('hex')}`;
export const as = (userId: string, roles: string[] = []): Identity => ({ userId, roles });
export const admin = (): Identity => ({ userId: randomUUID(), roles: ['ADMIN'] });

export const registeredEvent = (userId: string, name = 'Ada Lovelace'): EventEnvelope =>
  createEnvelope('auth', 'auth.user.registered', { userId, email: `${userId}@example.test`, name });

export const loggedInEvent = (userId: string, at = new Date()): EventEnvelope =>
  createEnvelope('auth', 'auth.user.logged_in', { userId, sessionId: randomUUID(), at: at.toISOString() });

/** Publishes auth.user.registered like auth does and waits for the profile to appear. */
export async function registerUser(users: TestService, db: PrismaClient, name = 'Ada Lovelace'): Promise<string> {
  const userId = newUserId();
  await users.infra.bus.publish(registeredEvent(userId, name));
  await eventually(() => db.profile.findUnique({ where: { userId } }), `the profile of ${userId}`);
  return userId;
}

export { eventually, settle } from '@builderai/testkit';
