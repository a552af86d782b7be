// The documents `npm run bench:limits` validates: a typical app operation (the SDK's Me and
// MyProjects queries with a project, in one request), aliased `__typename` at and past the
// limits, crafted introspection chains, the Explorer's introspection query, and the ~0.9 MB
// attack of router/test/parse-limits.test.ts. Each says what our limits should make of it.
import { getIntrospectionQuery } from 'graphql';

export interface Workload {
  id: string;
  label: string;
  source: string;
  /** What our limits are meant to do with it (the bench warns when they do otherwise). */
  oursAccepts: boolean;
  /** Huge: measured end to end only (no setup that is meant to refuse it ever validates it). */
  attack?: boolean;
}

const aliased = (count: number, prefix: string) => Array.from({ length: count }, (_, i) => `${prefix}${i}: __typename`).join(' ');
const ofTypeChain = (levels: number) => `${'ofType { '.repeat(levels)}name${' }'.repeat(levels)}`;

const APP_OPERATION = `
query Dashboard($id: ID!, $first: Int, $after: String) {
  me {
    id
    email
    status
    createdAt
    profile { ...ProfileFields }
    settings { emailNotifications pushNotifications theme language preferences }
    stats { loginCount lastLoginAt }
    projects(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { ...ProjectFields } }
    }
  }
  project(id: $id) {
    ...ProjectFields
    owner { id profile { ...ProfileFields } }
  }
}

fragment ProfileFields on Profile { name username avatarUrl bio }

fragment ProjectFields on Project {
  id name description prompt status llm
  config { mcpServerIds settings }
  createdAt updatedAt archivedAt
}
`;

export const WORKLOADS: Workload[] = [
  { id: 'app', label: 'app operation: me + projects page + project (2 fragments)', source: APP_OPERATION, oursAccepts: true },
  {
    id: 'at-limits',
    label: '30 aliased __typename: 19 at the root + 11 in me (at MAX_ALIASES, MAX_ROOT_FIELDS)',
    source: `{ ${aliased(19, 'r')} me { ${aliased(11, 'm')} } }`,
    oursAccepts: true,
  },
  { id: 'aliases-31', label: '31 aliased __typename in me (one past MAX_ALIASES)', source: `{ me { ${aliased(31, 'm')} } }`, oursAccepts: false },
  { id: 'aliases-500', label: '500 aliased __typename at the root (~1,500 tokens)', source: `{ ${aliased(500, 'a')} }`, oursAccepts: false },
  { id: 'type-40', label: '40-deep __type(name: "Query") { ofType { ofType ... } }', source: `{ __type(name: "Query") { ${ofTypeChain(40)} } }`, oursAccepts: false },
  { id: 'schema-40', label: '40-deep __schema { types { ofType { ofType ... } } }', source: `{ __schema { types { ${ofTypeChain(40)} } } }`, oursAccepts: false },
  { id: 'introspection', label: "the Explorer's introspection query (getIntrospectionQuery)", source: getIntrospectionQuery(), oursAccepts: true },
  { id: 'attack', label: 'attack: 50,000 aliased __typename at the root', source: `{ ${aliased(50_000, 'a')} }`, oursAccepts: false, attack: true },
];
