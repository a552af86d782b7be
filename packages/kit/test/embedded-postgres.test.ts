// Embedded Postgres: PGlite over the wire protocol takes the same migrations and the
// same Prisma client (through @prisma/adapter-pg) as a real server.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/embedded-postgres.js';
import { migrateService } from '../src/migrate.js';
import { REPO_ROOT } from '../src/services.js';
import { PrismaClient } from '../../../subgraphs/auth/src/generated/prisma/client.ts';

const quiet = () => {};

async function migrationCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL')).rows[0].n;
  } finally {
    await client.end();
  }
}

const refused = (url: string) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });

test('in memory: one database per service, migrated, queried by Prisma through a pool', async () => {
  const embedded = await startEmbeddedPostgres({ services: ['auth', 'other'], log: quiet });
  try {
    const { auth, other } = embedded.urls;
    expect(new URL(auth!).port).not.toBe(new URL(other!).port);
    expect(embedded.env.AUTH_DATABASE_URL).toBe(auth);

    const first = await migrateService({ service: 'auth', url: auth!, root: REPO_ROOT, log: quiet });
    expect(first.applied.length).toBeGreaterThan(0);
    expect(first.created).toBe(false); // PGlite's one database is always there
    expect(await migrateService({ service: 'auth', url: auth!, root: REPO_ROOT, log: quiet })).toMatchObject({ applied: [] });
    expect(await migrationCount(auth!)).toBe(first.applied.length);

    // A pool of 5 connections, 20 creates at once, then interleaved transactions.
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: auth!, max: 5 }) });
    try {
      const consumer = 'embedded-test';
      await Promise.all(Array.from({ length: 20 }, () => prisma.processedEvent.create({ data: { eventId: randomUUID(), consumer } })));
      expect(await prisma.processedEvent.count({ where: { consumer } })).toBe(20);

      await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          prisma.$transaction(async (tx) => {
            await tx.processedEvent.create({ data: { eventId: randomUUID(), consumer: `tx-${i}` } });
            await tx.processedEvent.create({ data: { eventId: randomUUID(), consumer: `tx-${i}` } });
          }),
        ),
      );
      await expect(
        prisma.$transaction(async (tx) => {
          await tx.processedEvent.create({ data: { eventId: randomUUID(), consumer: 'rolled-back' } });
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await prisma.processedEvent.count({ where: { consumer: { startsWith: 'tx-' } } })).toBe(10);
      expect(await prisma.processedEvent.count({ where: { consumer: 'rolled-back' } })).toBe(0);
    } finally {
      await prisma.$disconnect();
    }

    // The other service's database is separate: nothing migrated there.
    await expect(migrationCount(other!)).rejects.toThrow(/_prisma_migrations/);
  } finally {
    await embedded.stop();
  }
  expect(await refused(embedded.urls.auth!)).toBe(true);
});

test('with a data folder: data survives a restart', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bai-pglite-'));
  try {
    const first = await startEmbeddedPostgres({ services: ['auth'], dataDir, log: quiet });
    const eventId = randomUUID();
    try {
      await migrateService({ service: 'auth', url: first.urls.auth!, root: REPO_ROOT, log: quiet });
      const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: first.urls.auth! }) });
      await prisma.processedEvent.create({ data: { eventId, consumer: 'persisted' } });
      await prisma.$disconnect();
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres({ services: ['auth'], dataDir, log: quiet });
    try {
      expect(await migrateService({ service: 'auth', url: second.urls.auth!, root: REPO_ROOT, log: quiet })).toMatchObject({ applied: [] });
      const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: second.urls.auth! }) });
      expect(await prisma.processedEvent.findUnique({ where: { eventId_consumer: { eventId, consumer: 'persisted' } } })).toMatchObject({ eventId });
      await prisma.$disconnect();
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
