// Shared by the projects integration tests: a live projects subgraph on the run's real
// Postgres, Redis and RabbitMQ, and chat's events as that service publishes them.
import { randomUUID } from 'node:crypto';
import { createEnvelope, databaseUrlFor, prismaAdapter, type EventEnvelope, type Identity } from '@builderai/kit';
import { startTestService, type TestService } from '@builderai/testkit';
import { createProjectsSubgraph } from '../src/index.js';
import { PrismaClient } from '../src/generated/prisma/client.ts';

export const startProjects = (env: Record<string, string> = {}): Promise<TestService> =>
  startTestService('projects', createProjectsSubgraph, env);

/** A direct connection to the projects database, for assertions on what was stored. */
export function projectsDatabase(): PrismaClient {
  const url = databaseUrlFor('projects');
  if (!url) throw new Error('DATABASE_URL is not set: run the tests through jest (global setup)');
  return new PrismaClient({ adapter: prismaAdapter({ url, max: 2 }) });
}

export const newId = () => randomUUID();
export const as = (userId: string, roles: string[] = []): Identity => ({ userId, roles });
export const admin = (): Identity => ({ userId: randomUUID(), roles: ['ADMIN'] });

export const PROJECT_FIELDS = `
  id owner { id } name description prompt status llm
  config { mcpServerIds settings }
  createdAt updatedAt archivedAt
`;

export const CREATE = `mutation ($input: CreateProjectInput!) { createProject(input: $input) { ${PROJECT_FIELDS} } }`;
export const PROJECT = `query ($id: ID!) { project(id: $id) { ${PROJECT_FIELDS} } }`;

/** Creates a project through the API as `userId`; returns its id. */
export async function createProject(projects: TestService, userId: string, input: Record<string, unknown> = {}): Promise<string> {
  const { body } = await projects.request(CREATE, { input: { name: 'My app', ...input } }, as(userId));
  if (body.errors) throw new Error(`createProject failed: ${JSON.stringify(body.errors)}`);
  return body.data.createProject.id;
}

export const generationEvent = (verb: 'started' | 'completed' | 'failed', projectId: string, userId: string): EventEnvelope =>
  createEnvelope('chat', `chat.generation.${verb}`, { projectId, userId });

/** The error codes of a GraphQL answer. */
export const codesOf = (body: { errors?: Array<{ extensions?: { code?: string } }> }) => (body.errors ?? []).map((e) => e.extensions?.code);

export { eventually, settle } from '@builderai/testkit';
