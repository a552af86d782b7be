// Per-request batching keyed by entity id: however many entities one request touches (a page,
// the router's _entities), a loader costs one SQL statement per batch.
import DataLoader from 'dataloader';
import { isUuid } from './ids.js';

// One query for the valid, distinct keys of a batch, answered in the order of the keys.
function batched<Row, Value>(findMany: (ids: string[]) => Promise<Row[]>, index: (rows: Row[]) => Map<string, Value>, missing: Value) {
  return new DataLoader<string, Value>(async (keys) => {
    const valid = [...new Set(keys.filter(isUuid).map((id) => id.toLowerCase()))];
    const byKey = index(valid.length > 0 ? await findMany(valid) : []);
    return keys.map((key) => byKey.get(key.toLowerCase()) ?? missing);
  });
}

/** One row (or null) per key. */
export const batchBy = <Row>(keyOf: (row: Row) => string, findMany: (ids: string[]) => Promise<Row[]>) =>
  batched<Row, Row | null>(findMany, (rows) => new Map(rows.map((row) => [keyOf(row), row])), null);

/** Every row of a key, in the order findMany returns them. */
export const batchManyBy = <Row>(keyOf: (row: Row) => string, findMany: (ids: string[]) => Promise<Row[]>) =>
  batched<Row, Row[]>(
    findMany,
    (rows) => {
      const groups = new Map<string, Row[]>();
      for (const row of rows) {
        const group = groups.get(keyOf(row));
        if (group) group.push(row);
        else groups.set(keyOf(row), [row]);
      }
      return groups;
    },
    [],
  );
