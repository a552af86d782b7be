import { GraphQLError } from 'graphql';
import { decodeCursor, encodeCursor, type ProjectOrder } from '../src/domain/cursor.js';
import { orderOf } from '../src/domain/listing.js';

const ID = '3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
const NEWEST: ProjectOrder = { field: 'CREATED_AT', direction: 'DESC' };

function badAfter(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect((error as GraphQLError).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    return;
  }
  throw new Error('expected a BAD_USER_INPUT error on after');
}

describe('cursors', () => {
  it('round-trip the sort key and id of their order, opaquely', () => {
    const cursor = encodeCursor(NEWEST, { key: '2026-05-01T12:00:00.000Z', id: ID });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, NEWEST)).toEqual({ key: '2026-05-01T12:00:00.000Z', id: ID });

    const byName: ProjectOrder = { field: 'NAME', direction: 'ASC' };
    expect(decodeCursor(encodeCursor(byName, { key: 'Zoo, "quoted"', id: ID }), byName)).toEqual({ key: 'Zoo, "quoted"', id: ID });
  });

  it('belong to the order they were made for', () => {
    const cursor = encodeCursor(NEWEST, { key: '2026-05-01T12:00:00.000Z', id: ID });
    badAfter(() => decodeCursor(cursor, { field: 'CREATED_AT', direction: 'ASC' }));
    badAfter(() => decodeCursor(cursor, { field: 'UPDATED_AT', direction: 'DESC' }));
  });

  it('refuse anything that is not one of theirs', () => {
    const forged = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    for (const cursor of ['', 'not a cursor', forged({}), forged(['CREATED_AT', 'DESC', 'yesterday', ID]), forged(['CREATED_AT', 'DESC', '2026-05-01T12:00:00Z', "1' OR 1=1"])]) {
      badAfter(() => decodeCursor(cursor, NEWEST));
    }
  });
});

describe('orders', () => {
  it('lists newest first by default, and names from A to Z', () => {
    expect(orderOf(undefined)).toEqual({ field: 'CREATED_AT', direction: 'DESC' });
    expect(orderOf({ field: 'NAME' })).toEqual({ field: 'NAME', direction: 'ASC' });
    expect(orderOf({ field: 'UPDATED_AT', direction: null })).toEqual({ field: 'UPDATED_AT', direction: 'DESC' });
    expect(orderOf({ field: 'NAME', direction: 'DESC' })).toEqual({ field: 'NAME', direction: 'DESC' });
  });
});
