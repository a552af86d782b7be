// Shared by the projects integration tests: project creation through the API, and
// chat's events as that service publishes them.
import { randomUUID } from 'node:crypto';
import { createEnvelope, type EventEnvelope } from '@builderai/kit';
import { asUser as as, errorCodesOf, expectNoGraphQLErrors, type TestService } from '@builderai/testkit';
import { CreateProjectDocument, type CreateProjectInput } from './generated/operations.js';

export const newId = () => randomUUID();

/** Creates a project through the API as `userId`; returns its id. */
export async function createProject(projects: TestService<unknown>, userId: string, input: Partial<CreateProjectInput> = {}): Promise<string> {
  const { createProject: project } = expectNoGraphQLErrors(await projects.request(CreateProjectDocument, { input: { name: 'My app', ...input } }, as(userId)));
  return project.id;
}

/** chat's event about a generation (its answer message, `messageId`: a new one unless given). */
export const generationEvent = (verb: 'started' | 'completed' | 'failed', projectId: string, userId: string, messageId: string = randomUUID()): EventEnvelope => {
  const generation = { projectId, userId, conversationId: randomUUID(), messageId, model: 'gpt-4o-mini' };
  const usage = { promptTokens: 10, completionTokens: 5 };
  const payload = verb === 'started' ? generation : verb === 'completed' ? { ...generation, ...usage } : { ...generation, ...usage, reason: 'provider failed' };
  return createEnvelope('chat', `chat.generation.${verb}`, payload);
};

/** The error codes of a GraphQL answer. */
export const codesOf = (body: { errors?: unknown[] }) => errorCodesOf({ body });

export { asAdmin as admin, asUser as as, eventually, settle } from '@builderai/testkit';
