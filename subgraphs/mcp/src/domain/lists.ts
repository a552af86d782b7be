// A server announced that its tools, resources or prompts changed: the new list replaces the
// one kept on its row, in one statement (the other lists stay, even when they change at once).
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { ListKind } from '../connections/open-client.js';
import { MAX_ITEMS, NO_CAPABILITIES, promptInfo, resourceInfo, toolInfo } from './capabilities.js';

const SHAPE = { tools: toolInfo, resources: resourceInfo, prompts: promptInfo } as const;

export async function saveList(db: PrismaClient, serverId: string, kind: ListKind, items: unknown[]): Promise<void> {
  const shaped = items.slice(0, MAX_ITEMS).map((item) => (SHAPE[kind] as (value: never) => unknown)(item as never));
  await db.$executeRawUnsafe(
    `UPDATE servers SET capabilities = jsonb_set(COALESCE(capabilities, $3::jsonb), ARRAY[$2::text], $4::jsonb), capabilities_at = now() WHERE id = $1::uuid`,
    serverId,
    kind,
    JSON.stringify(NO_CAPABILITIES),
    JSON.stringify(shaped),
  );
}
