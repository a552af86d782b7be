// A Prisma client per service, through @prisma/adapter-pg (no query-engine binary).
import { PrismaPg } from '@prisma/adapter-pg';

export interface PrismaOptions {
  url: string;
  /** Pool size per service instance. */
  max?: number;
}

export function prismaAdapter({ url, max = 10 }: PrismaOptions): PrismaPg {
  return new PrismaPg({ connectionString: url, max }, adapterOptions(url));
}

/** `?schema=` of a database URL (embedded mode: one schema per service) for PrismaPg. */
export function adapterOptions(url: string): { schema: string } | undefined {
  const schema = new URL(url).searchParams.get('schema');
  return schema ? { schema } : undefined;
}

/** Readiness of a service's own database. */
export const databaseCheck = (db: { $queryRawUnsafe(query: string): Promise<unknown> }) => () => db.$queryRawUnsafe('SELECT 1');

/** Prisma's error for a unique constraint; services turn it into CONFLICT. */
export function isUniqueViolation(error: unknown, field?: string): boolean {
  const e = error as { code?: string; meta?: { target?: unknown; driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } } } };
  if (e?.code !== 'P2002') return false;
  if (!field) return true;
  const target = e.meta?.target ?? e.meta?.driverAdapterError?.cause?.constraint?.fields;
  return Array.isArray(target) ? target.some((name) => String(name).includes(field)) : String(target ?? '').includes(field);
}
