// The router resolves User fields through _entities: N users must cost the same number of
// SQL queries as one (per-request DataLoaders), counted at the pg driver.
import { expectNoGraphQLErrors, useService, useSqlCount } from '@builderai/testkit';
import usersSubgraph from '../src/index.js';
import { admin, newUserId, registerUser } from './helpers.js';
import { UserEntitiesDocument } from './generated/operations.js';

// Queries of the users tables that Prisma sends (the event handlers' SQL is not schema-qualified).
const USERS_TABLES = /"public"\."(profiles|account_settings|user_stats)"/;

describe('User entities', () => {
  const users = useService(usersSubgraph);
  let userIds: string[];
  const sql = useSqlCount(USERS_TABLES);

  beforeAll(async () => {
    userIds = [];
    for (let i = 0; i < 5; i++) userIds.push(await registerUser(users, `Entity ${i}`));
  });

  async function resolveEntities(ids: string[]) {
    sql.reset();
    const representations = ids.map((id) => ({ __typename: 'User', id }));
    const { _entities } = expectNoGraphQLErrors(await users.request(UserEntitiesDocument, { representations }, admin()));
    return { entities: _entities, queries: sql.count };
  }

  it('resolves every representation, and null for users it does not know', async () => {
    const unknown = newUserId();
    const { entities } = await resolveEntities([...userIds, unknown, 'not-a-uuid']);
    expect(entities).toEqual([
      ...userIds.map((id, i) => ({ id, profile: { name: `Entity ${i}` }, settings: { theme: 'SYSTEM' }, stats: { loginCount: 0 } })),
      null,
      null,
    ]);
  });

  it('costs as many SQL queries for five users as for one: one per table', async () => {
    const one = await resolveEntities(userIds.slice(0, 1));
    const five = await resolveEntities(userIds);
    expect(one.queries).toBeGreaterThan(0);
    expect(one.queries).toBeLessThanOrEqual(3);
    expect(five.queries).toBe(one.queries);
  });
});
