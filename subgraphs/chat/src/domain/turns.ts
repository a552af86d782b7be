// A turn of the conversation: the user's message (new, or an edit of an earlier one) and the
// AI's answer to it, or another answer to a message already asked; the answer is PENDING until
// a chat worker writes it. The answer's model is the project's `llm`, asked of the platform as
// the user, with what the model is told about the project (the worker has no request of the
// user to ask with, so the job carries it); a model whose provider is not configured is refused
// before anything is stored, naming the variable to set.
import { notFound, RouterRequestError, unavailable, type Identity, type KeyValueStore, type PubSub, type RouterClient, type Viewer } from '@builderai/kit';
import type { Message, PrismaClient } from '../generated/prisma/client.ts';
import { chatEvents, type ProjectSnapshot } from '../events.js';
import type { ChatConfig } from '../config.js';
import { appendTurn, checkEdit, checkRegenerate, checkSend, type TurnStart } from './branches.js';
import { endpointOf } from './models.js';
import { snapshotOf, type ProjectFields } from './prompt.js';
import { stopAnswer } from './stopping.js';

export interface TurnDeps {
  db: PrismaClient;
  router: RouterClient;
  config: ChatConfig;
  publishEvents: () => void;
  infra: { store: KeyValueStore; pubsub: PubSub };
}

const PROJECT = 'query ($id: ID!) { project(id: $id) { llm name description prompt files { path size } config { mcpServerIds } } }';

/** The project as the user sees it (NOT_FOUND when it is not theirs). */
async function projectOf(deps: TurnDeps, identity: Identity, projectId: string, requestId: string): Promise<ProjectFields & { llm: string }> {
  let data: { project: (ProjectFields & { llm: string }) | null };
  try {
    data = await deps.router.request(identity, PROJECT, { id: projectId }, { requestId });
  } catch (error) {
    if (error instanceof RouterRequestError && error.extensions.code === 'NOT_FOUND') throw notFound('Conversation');
    throw error;
  }
  if (!data.project) throw notFound('Conversation');
  return data.project;
}

/** The configured model a project answers with, or UNAVAILABLE saying what to set, and the project's snapshot. */
async function modelFor(deps: TurnDeps, identity: Identity, projectId: string, requestId: string): Promise<{ model: string; project: ProjectSnapshot }> {
  const project = await projectOf(deps, identity, projectId, requestId);
  const spec = deps.config.models.find((model) => model.id === project.llm);
  if (!spec) throw unavailable(`The project's model ${project.llm} is not one chat is configured for (CHAT_MODELS)`);
  const endpoint = endpointOf(spec, deps.config.providers);
  if ('missing' in endpoint) throw unavailable(`The project's model ${project.llm} needs its provider configured: set ${endpoint.missing}`);
  return { model: spec.id, project: snapshotOf(project) };
}

/**
 * Stores the turn and the job that writes its answer, in one transaction. An answer it replaces
 * that is still being written is stopped first (it ends CANCELLED, its text so far kept), so a
 * client need not wait for a stop to land before regenerating.
 */
async function startTurn(deps: TurnDeps, identity: Identity, viewer: Viewer, turn: TurnStart, requestId: string, replaces?: Message) {
  const { conversation } = turn;
  const { model, project } = await modelFor(deps, identity, conversation.projectId, requestId);
  if (replaces) await stopAnswer({ db: deps.db, ...deps.infra }, replaces);
  // The worker acts for the user with the identity of this request (the files the AI writes).
  const started = await appendTurn(deps.db, viewer, { ...turn, model, actingFor: identity.proof }, (tx, answer) =>
    chatEvents.record(tx, 'chat.answer.requested', { projectId: conversation.projectId, userId: conversation.userId, conversationId: conversation.id, messageId: answer.id, project }),
  );
  deps.publishEvents();
  return started;
}

export async function sendMessage(deps: TurnDeps, identity: Identity, viewer: Viewer, input: { conversationId: string; content: string }, requestId: string): Promise<Message> {
  const checked = await checkSend(deps.db, viewer, input);
  return (await startTurn(deps, identity, viewer, checked, requestId)).question;
}

export async function editMessage(deps: TurnDeps, identity: Identity, viewer: Viewer, id: string, content: string, requestId: string): Promise<Message> {
  return (await startTurn(deps, identity, viewer, await checkEdit(deps.db, viewer, id, content), requestId)).question;
}

/** Another answer to the question that `id` answers: a sibling of it, shown from now on. */
export async function regenerateMessage(deps: TurnDeps, identity: Identity, viewer: Viewer, id: string, requestId: string): Promise<Message> {
  const { previous, ...turn } = await checkRegenerate(deps.db, viewer, id);
  return (await startTurn(deps, identity, viewer, turn, requestId, previous)).answer;
}
