// Ids of every entity are UUIDs. Anything else names nothing, and must not reach a uuid column
// (Postgres would answer with an error instead of "not found").
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (id: string): boolean => UUID.test(id);

/** An entity of any subgraph as resolvers pass it around: its key, fields loaded on demand. */
export interface EntityRef {
  id: string;
}
