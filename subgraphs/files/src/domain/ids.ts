const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids here are UUIDs; anything else names nothing (and must not reach a uuid column). */
export const isUuid = (id: string) => UUID.test(id);
