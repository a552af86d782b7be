// Shared by the projects integration tests: project fields and creation through the API, and
// chat's events as that service publishes them.
import { randomUUID } from 'node:crypto';
import { createEnvelope, type EventEnvelope } from '@builderai/kit';
import { asUser as as, errorCodesOf, type TestService } from '@builderai/testkit';

export const newId = () => randomUUID();

export const PROJECT_FIELDS = `
  id owner { id } name description prompt status llm
  config { mcpServerIds settings }
  createdAt updatedAt archivedAt
`;

export const CREATE = `mutation ($input: CreateProjectInput!) { createProject(input: $input) { ${PROJECT_FIELDS} } }`;
export const PROJECT = `query ($id: ID!) { project(id: $id) { ${PROJECT_FIELDS} } }`;

/** Creates a project through the API as `userId`; returns its id. */
export async function createProject(projects: TestService<unknown>, userId: string, input: Record<string, unknown> = {}): Promise<string> {
  const { body } = await projects.request(CREATE, { input: { name: 'My app', ...input } }, as(userId));
  if (body.errors) throw new Error(`createProject failed: ${JSON.stringify(body.errors)}`);
  return body.data.createProject.id;
}

export const generationEvent = (verb: 'started' | 'completed' | 'failed', projectId: string, userId: string): EventEnvelope =>
  createEnvelope('chat', `chat.generation.${verb}`, { projectId, userId });

/** The error codes of a GraphQL answer. */
export const codesOf = (body: { errors?: unknown[] }) => errorCodesOf({ body });

export { asAdmin as admin, asUser as as, eventually, settle } from '@builderai/testkit';
