// The router's revocation list against real Redis: sessions are looked up once, a revocation
// announced later is refused at once, and after a dropped subscription nothing kept is trusted.
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { eventually } from '@builderai/testkit';
import { revokeSessionsNow, revokedSessionKey, type Infrastructure, type KeyValueStore } from '@builderai/kit';
import { RevokedSessions } from '../src/identity/revoked-sessions.js';
import { REDIS_URL, connectTestInfrastructure } from './helpers.js';

let infra: Infrastructure;
let redis: ReturnType<typeof createClient>;
let prefix: string;
let lookups: number;
let revokedSessions: RevokedSessions;

/** The store, counting revocation lookups and optionally holding them until released. */
function countingStore(store: KeyValueStore, hold?: Promise<void>): KeyValueStore {
  return {
    ...store,
    flagged: async (keys) => {
      lookups += 1;
      const answer = await store.flagged(keys);
      await hold;
      return answer;
    },
  };
}

beforeEach(async () => {
  prefix = `${process.env.REDIS_PREFIX ?? 'test:'}${randomUUID()}:`;
  infra = await connectTestInfrastructure(prefix);
  redis = createClient({ url: REDIS_URL });
  await redis.connect();
  lookups = 0;
});

afterEach(async () => {
  await revokedSessions?.close();
  await infra.close();
  await redis.quit();
});

async function started(store: KeyValueStore = infra.store): Promise<RevokedSessions> {
  revokedSessions = new RevokedSessions({ store: countingStore(store), pubsub: infra.pubsub });
  await revokedSessions.start();
  expect(revokedSessions.isListening).toBe(true);
  return revokedSessions;
}

test('a session is looked up in Redis once, then answered from memory', async () => {
  const sessions = await started();
  const sessionId = randomUUID();
  for (let i = 0; i < 5; i++) expect(await sessions.isRevoked(sessionId)).toBe(false);
  expect(lookups).toBe(1);
});

test('a revocation announced after the lookup is refused from then on, without asking Redis', async () => {
  const sessions = await started();
  const sessionId = randomUUID();
  expect(await sessions.isRevoked(sessionId)).toBe(false);
  await revokeSessionsNow(infra, [sessionId], 60_000);
  await eventually(() => sessions.isRevoked(sessionId), 'revocation heard');
  expect(lookups).toBe(1);
});

test('a kept answer lapses after a while, so even a revocation whose announcement never came is found', async () => {
  revokedSessions = new RevokedSessions({ store: countingStore(infra.store), pubsub: infra.pubsub, clearedForMs: 200 });
  await revokedSessions.start();
  const sessionId = randomUUID();
  expect(await revokedSessions.isRevoked(sessionId)).toBe(false);
  // Flagged without an announcement, as if the subscription had silently died.
  await infra.store.flag(revokedSessionKey(sessionId), 60_000);
  expect(await revokedSessions.isRevoked(sessionId)).toBe(false);
  await new Promise((resolve) => setTimeout(resolve, 250));
  expect(await revokedSessions.isRevoked(sessionId)).toBe(true);
  expect(lookups).toBe(2);
});

test('a session revoked before the router started is found in Redis', async () => {
  const sessionId = randomUUID();
  await infra.store.flag(revokedSessionKey(sessionId), 60_000);
  const sessions = await started();
  expect(await sessions.isRevoked(sessionId)).toBe(true);
  expect(await sessions.isRevoked(sessionId)).toBe(true);
});

test('a revocation heard while Redis is being asked wins over its older answer', async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  revokedSessions = new RevokedSessions({ store: countingStore(infra.store, held), pubsub: infra.pubsub });
  await revokedSessions.start();
  const sessionId = randomUUID();
  const answer = revokedSessions.isRevoked(sessionId);
  await eventually(async () => lookups === 1, 'lookup sent');
  // Announced only (the store's answer is already on its way back as "not revoked").
  await infra.pubsub.publish('sessions.revoked', { sessionIds: [sessionId], ttlMs: 60_000 });
  await new Promise((resolve) => setTimeout(resolve, 50));
  release();
  expect(await answer).toBe(true);
  expect(await revokedSessions.isRevoked(sessionId)).toBe(true);
});

test('after the subscription drops, kept answers are dropped and revocations missed meanwhile are found', async () => {
  const sessions = await started();
  const sessionId = randomUUID();
  expect(await sessions.isRevoked(sessionId)).toBe(false);

  const subscriber = (await redis.clientList()).find((client) => client.name === `${prefix}pubsub`);
  expect(subscriber).toBeDefined();
  let interrupted = false;
  infra.pubsub.onInterrupted(() => (interrupted = true));
  await redis.sendCommand(['CLIENT', 'KILL', 'ID', String(subscriber!.id)]);
  await eventually(async () => interrupted, 'interruption noticed');
  // Revoked around the outage: flagged in Redis, the announcement lost.
  await infra.store.flag(revokedSessionKey(sessionId), 60_000);
  expect(await sessions.isRevoked(sessionId)).toBe(true);

  // Once the subscription is confirmed again, answers are kept again.
  await eventually(async () => sessions.isListening, 'subscription confirmed again');
  const other = randomUUID();
  lookups = 0;
  expect(await sessions.isRevoked(other)).toBe(false);
  expect(await sessions.isRevoked(other)).toBe(false);
  expect(lookups).toBe(1);
});

test('announcements that are not well-formed are ignored', async () => {
  const sessions = await started();
  for (const message of [null, 'text', { sessionIds: 'x', ttlMs: 1 }, { sessionIds: [1, null], ttlMs: 60_000 }, { probe: 42 }]) {
    await infra.pubsub.publish('sessions.revoked', message);
  }
  const sessionId = randomUUID();
  await revokeSessionsNow(infra, [sessionId], 60_000);
  await eventually(() => sessions.isRevoked(sessionId), 'well-formed revocation heard');
  expect(sessions.isListening).toBe(true);
});
