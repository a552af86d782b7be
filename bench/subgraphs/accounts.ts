// accounts: owns User (id, name, username).
import { buildSubgraphSchema } from '@apollo/subgraph';
import { sdlOf } from './sdl.js';
import { userById, users } from './data.js';

export const accounts = buildSubgraphSchema([
  {
    typeDefs: sdlOf('accounts'),
    resolvers: {
      Query: {
        me: () => users[0],
        user: (_: unknown, { id }: { id: string }) => userById.get(id) ?? null,
        users: () => users,
      },
      User: {
        __resolveReference: ({ id }: { id: string }) => userById.get(id) ?? null,
      },
    },
  },
]);
