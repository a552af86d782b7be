// A turn of the conversation: the user's message (new, or an edit of an earlier one) and the
// AI's answer to it, PENDING until a chat worker writes it. The answer's model is the project's
// `llm`, asked of the platform as the user; a model whose provider is not configured is refused
// before anything is stored, naming the variable to set.
import { notFound, RouterRequestError, unavailable, type Identity, type RouterClient, type Viewer } from '@builderai/kit';
import type { Conversation, Message, PrismaClient } from '../generated/prisma/client.ts';
import { chatEvents } from '../events.js';
import type { ChatConfig } from '../config.js';
import { appendTurn, checkEdit, checkSend } from './branches.js';
import { endpointOf } from './models.js';

export interface TurnDeps {
  db: PrismaClient;
  router: RouterClient;
  config: ChatConfig;
  publishEvents: () => void;
}

const PROJECT_LLM = 'query ($id: ID!) { project(id: $id) { llm } }';

/** The configured model a project answers with, or UNAVAILABLE saying what to set. */
async function modelFor(deps: TurnDeps, identity: Identity, projectId: string, requestId: string): Promise<string> {
  let llm: string;
  try {
    const data = await deps.router.request<{ project: { llm: string } | null }>(identity, PROJECT_LLM, { id: projectId }, { requestId });
    if (!data.project) throw notFound('Conversation');
    llm = data.project.llm;
  } catch (error) {
    if (error instanceof RouterRequestError && error.extensions.code === 'NOT_FOUND') throw notFound('Conversation');
    throw error;
  }
  const spec = deps.config.models.find((model) => model.id === llm);
  if (!spec) throw unavailable(`The project's model ${llm} is not one chat is configured for (CHAT_MODELS)`);
  const endpoint = endpointOf(spec, deps.config.providers);
  if ('missing' in endpoint) throw unavailable(`The project's model ${llm} needs its provider configured: set ${endpoint.missing}`);
  return spec.id;
}

interface Turn {
  conversation: Conversation;
  content: string;
  /** The message the turn follows (an edit's); the branch's end when undefined. */
  parentId?: string | null;
}

async function startTurn(deps: TurnDeps, identity: Identity, viewer: Viewer, turn: Turn, requestId: string): Promise<Message> {
  const model = await modelFor(deps, identity, turn.conversation.projectId, requestId);
  const { conversation } = turn;
  const user = await appendTurn(deps.db, viewer, { ...turn, model }, (tx, _user, answer) =>
    chatEvents.record(tx, 'chat.answer.requested', { projectId: conversation.projectId, userId: conversation.userId, conversationId: conversation.id, messageId: answer.id }),
  );
  deps.publishEvents();
  return user;
}

export async function sendMessage(deps: TurnDeps, identity: Identity, viewer: Viewer, input: { conversationId: string; content: string }, requestId: string): Promise<Message> {
  const checked = await checkSend(deps.db, viewer, input);
  return startTurn(deps, identity, viewer, checked, requestId);
}

export async function editMessage(deps: TurnDeps, identity: Identity, viewer: Viewer, id: string, content: string, requestId: string): Promise<Message> {
  return startTurn(deps, identity, viewer, await checkEdit(deps.db, viewer, id, content), requestId);
}
