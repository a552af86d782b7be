// Embedded Postgres: one PGlite for every service, a schema and a port each, served over the
// wire protocol; the same migrations and the same Prisma client (through @prisma/adapter-pg)
// as a real server, and no service sees another's tables.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/embedded-postgres.js';
import { migrateService } from '../src/migrate.js';
import { prismaAdapter } from '../src/db.js';
import { REPO_ROOT } from '../src/services.js';
import { PrismaClient } from '../../../subgraphs/auth/src/generated/prisma/client.ts';

const quiet = () => {};

async function sql<Row = any>(url: string, text: string, values: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

const migrationCount = async (url: string) => (await sql(url, 'SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL'))[0].n as number;

const refused = (url: string) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });

test('in memory: a schema per service, migrated, queried by Prisma through a pool', async () => {
  const embedded = await startEmbeddedPostgres({ services: ['auth', 'other'], migrationsRoot: REPO_ROOT, log: quiet });
  try {
    const { auth, other } = embedded.urls;
    expect(new URL(auth!).port).not.toBe(new URL(other!).port);
    expect(new URL(auth!).searchParams.get('schema')).toBe('auth');
    expect(embedded.env.AUTH_DATABASE_URL).toBe(auth);

    // Migrated in-process at start; the Prisma CLI agrees that nothing is left to apply.
    const applied = await migrationCount(auth!);
    expect(applied).toBeGreaterThan(0);
    expect(await migrateService({ service: 'auth', url: auth!, root: REPO_ROOT, log: quiet })).toMatchObject({ applied: [] });
    expect(await migrationCount(auth!)).toBe(applied);

    // A pool of 5 connections, 20 creates at once, then interleaved transactions.
    const prisma = new PrismaClient({ adapter: prismaAdapter({ url: auth!, max: 5 }) });
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

    // The other service's schema is separate: none of auth's tables or migrations are there.
    expect(await migrationCount(other!)).toBe(0);
    await expect(sql(other!, 'SELECT count(*) FROM processed_events')).rejects.toThrow(/does not exist/);
  } finally {
    await embedded.stop();
  }
  expect(await refused(embedded.urls.auth!)).toBe(true);
});

test('with a data folder: data survives a restart', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bai-pglite-'));
  try {
    const first = await startEmbeddedPostgres({ services: ['auth'], dataDir, migrationsRoot: REPO_ROOT, log: quiet });
    const eventId = randomUUID();
    try {
      const prisma = new PrismaClient({ adapter: prismaAdapter({ url: first.urls.auth! }) });
      await prisma.processedEvent.create({ data: { eventId, consumer: 'persisted' } });
      await prisma.$disconnect();
    } finally {
      await first.stop();
    }

    const lines: string[] = [];
    const second = await startEmbeddedPostgres({ services: ['auth'], dataDir, migrationsRoot: REPO_ROOT, log: (line) => lines.push(line) });
    try {
      expect(lines).toContainEqual(expect.stringMatching(/migrating auth \.\.\. done in .*\(up to date\)/));
      const prisma = new PrismaClient({ adapter: prismaAdapter({ url: second.urls.auth! }) });
      expect(await prisma.processedEvent.findUnique({ where: { eventId_consumer: { eventId, consumer: 'persisted' } } })).toMatchObject({ eventId });
      await prisma.$disconnect();
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('services share one backend safely: own tables only, transactions one at a time, a dead client rolled back', async () => {
  const embedded = await startEmbeddedPostgres({ services: ['alpha', 'beta'], log: quiet });
  const connect = async (url: string) => {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {});
    await client.connect();
    return client;
  };
  const { alpha, beta } = embedded.urls;
  const a = await connect(alpha!);
  const b = await connect(beta!);
  try {
    // The same unqualified SQL reaches each service's own table.
    await a.query('CREATE TABLE items (v int)');
    await b.query('CREATE TABLE items (v int)');
    await a.query('CREATE TABLE only_alpha (v int)');
    await expect(b.query('SELECT * FROM only_alpha')).rejects.toThrow(/does not exist/);

    // Beta's statement waits for alpha's transaction and never runs inside it.
    await a.query('BEGIN');
    await a.query('INSERT INTO items VALUES (1)');
    const betaInsert = b.query('INSERT INTO items VALUES (2)');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await a.query('ROLLBACK');
    await betaInsert;
    expect((await a.query('SELECT count(*)::int AS n FROM items')).rows[0].n).toBe(0);
    expect((await b.query('SELECT count(*)::int AS n FROM items')).rows[0].n).toBe(1);

    // Large parameters from several connections at once: every answer is its own.
    const big = 'x'.repeat(300_000);
    const clients = await Promise.all([alpha, beta, alpha, beta].map((url) => connect(url!)));
    const answers = await Promise.all(
      clients.flatMap((client, who) =>
        Array.from({ length: 10 }, async (_, round) => {
          const { rows } = who % 2 ? await client.query('SELECT $1::int AS v, $2::int AS who', [round, who]) : await client.query('SELECT length($1::text) AS v, $2::int AS who', [big, who]);
          return rows[0].who === who && rows[0].v === (who % 2 ? round : big.length);
        }),
      ),
    );
    expect(answers.every(Boolean)).toBe(true);
    await Promise.all(clients.map((client) => client.end()));

    // A client that dies inside a transaction leaves nothing behind and blocks no one.
    const doomed = await connect(alpha!);
    await doomed.query('BEGIN');
    await doomed.query('INSERT INTO items VALUES (3)');
    (doomed as unknown as { connection: { stream: net.Socket } }).connection.stream.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await b.query('SELECT count(*)::int AS n FROM alpha.items')).rows[0].n).toBe(0);
  } finally {
    await Promise.all([a.end(), b.end()]);
    await embedded.stop();
  }
});
