// A server's figures over a period: its tool calls (how many failed, response times at p50 and
// p99) and its checks (the share it answered: its uptime).
import { badUserInput } from '@builderai/kit';
import type { PrismaClient } from '../generated/prisma/client.ts';

export interface ServerMetrics {
  calls: number;
  failedCalls: number;
  p50Ms: number | null;
  p99Ms: number | null;
  checks: number;
  uptime: number | null;
}

export const HOURS_MAX = 720;

export function checkedHours(hours: number): number {
  if (!Number.isInteger(hours) || hours < 1 || hours > HOURS_MAX) throw badUserInput(`hours must be from 1 to ${HOURS_MAX}`, 'hours');
  return hours;
}

export async function serverMetrics(db: PrismaClient, serverId: string, hours: number): Promise<ServerMetrics> {
  const since = new Date(Date.now() - hours * 3_600_000);
  const [calls] = await db.$queryRawUnsafe<Array<{ calls: bigint; failed: bigint; p50: number | null; p99: number | null }>>(
    `SELECT count(*) AS calls, count(*) FILTER (WHERE NOT ok) AS failed,
            percentile_disc(0.5) WITHIN GROUP (ORDER BY response_time) AS p50,
            percentile_disc(0.99) WITHIN GROUP (ORDER BY response_time) AS p99
       FROM server_metrics WHERE server_id = $1::uuid AND created_at >= $2`,
    serverId,
    since,
  );
  const checks = await checkFigures(db, serverId, since);
  return {
    calls: Number(calls?.calls ?? 0),
    failedCalls: Number(calls?.failed ?? 0),
    p50Ms: calls?.p50 ?? null,
    p99Ms: calls?.p99 ?? null,
    ...checks,
  };
}

/** Its checks since `since`, and the share it answered. */
async function checkFigures(db: PrismaClient, serverId: string, since: Date): Promise<Pick<ServerMetrics, 'checks' | 'uptime'>> {
  const [row] = await db.$queryRawUnsafe<Array<{ checks: bigint; answered: bigint }>>(
    `SELECT count(*) AS checks, count(*) FILTER (WHERE status IN ('ONLINE', 'DEGRADED')) AS answered FROM connections WHERE server_id = $1::uuid AND created_at >= $2`,
    serverId,
    since,
  );
  const checks = Number(row?.checks ?? 0);
  return { checks, uptime: checks ? Number(row!.answered) / checks : null };
}

/** The share of its checks the server answered in the last 24 hours (no call figures computed). */
export const dayUptime = async (db: PrismaClient, serverId: string) => (await checkFigures(db, serverId, new Date(Date.now() - 86_400_000))).uptime;
