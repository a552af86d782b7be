// Shared by the users integration tests: auth's events as auth would publish them.
import { randomBytes, randomUUID } from 'node:crypto';
import { createEnvelope, type EventEnvelope } from '@builderai/kit';
import { eventually, type TestService } from '@builderai/testkit';
import type { PrismaClient } from '../src/generated/prisma/client.ts';

export const newUserId = () => randomUUID();
export const uniqueUsername = (prefix = 'user') => `${prefix}_${randomBytes(5).toString('hex')}`;

export const registeredEvent = (userId: string, name = 'Ada Lovelace'): EventEnvelope =>
  createEnvelope('auth', 'auth.user.registered', { userId, email: `${userId}@example.test`, name });

export const loggedInEvent = (userId: string, at = new Date()): EventEnvelope =>
  createEnvelope('auth', 'auth.user.logged_in', { userId, sessionId: randomUUID(), at: at.toISOString() });

/** Publishes auth.user.registered like auth does and waits for the profile to appear. */
export async function registerUser(users: TestService<PrismaClient>, name = 'Ada Lovelace'): Promise<string> {
  const userId = newUserId();
  await users.infra.bus.publish(registeredEvent(userId, name));
  await eventually(() => users.db.profile.findUnique({ where: { userId } }), `the profile of ${userId}`);
  return userId;
}

export { asAdmin as admin, asUser as as, eventually, settle } from '@builderai/testkit';
