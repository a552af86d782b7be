// Opaque cursors for User.projects. A cursor holds the order it was made for, the sort key of
// its project and the project's id (the tie-breaker), so the next page starts exactly after
// it whatever was added or removed meanwhile.
import { badUserInput } from '@builderai/kit';
import { isUuid } from '@builderai/kit';

export type ProjectOrderField = 'CREATED_AT' | 'UPDATED_AT' | 'NAME';
export type OrderDirection = 'ASC' | 'DESC';

export interface ProjectOrder {
  field: ProjectOrderField;
  direction: OrderDirection;
}

/** Where a cursor points: the sort key (an ISO date or a name) and the id of its project. */
export interface CursorPosition {
  key: string;
  id: string;
}

type Encoded = [field: ProjectOrderField, direction: OrderDirection, key: string, id: string];

export function encodeCursor(order: ProjectOrder, position: CursorPosition): string {
  const encoded: Encoded = [order.field, order.direction, position.key, position.id];
  return Buffer.from(JSON.stringify(encoded)).toString('base64url');
}

// A well-formed cursor: its key must fit its column and its id a uuid column.
function decode(cursor: string): Encoded | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 4 || !value.every((part) => typeof part === 'string')) return undefined;
  const [field, , key, id] = value as Encoded;
  if (!isUuid(id)) return undefined;
  if (field !== 'NAME' && Number.isNaN(Date.parse(key))) return undefined;
  return value as Encoded;
}

/** The position of a cursor made for `order`; BAD_USER_INPUT for anything else. */
export function decodeCursor(cursor: string, order: ProjectOrder): CursorPosition {
  const decoded = decode(cursor);
  if (!decoded) throw badUserInput('after is not a cursor of this list', 'after');
  const [field, direction, key, id] = decoded;
  if (field !== order.field || direction !== order.direction) {
    throw badUserInput('after is a cursor of another order; start again without it', 'after');
  }
  return { key, id };
}
