// Writing the AI's answer, on whichever chat instance takes the job: the branch up to the
// user's message goes to the model (within its window: domain/context-window.ts) with tools over
// the project's files (domain/answer-steps.ts), each piece of text and each tool call is
// appended to the conversation's stream (a Redis Stream, `conversation:<id>`: the entry ids are
// the subscribers' cursors), and the finished answer is stored once, with its usage, and
// announced. The files it changed are committed as one checkpoint when it completes; a failed
// or stopped answer changes no file. A job taken again after a worker died mid-answer says so
// in the stream ("restart") and starts anew.
import type { EventPayload, Logger, RouterClient, Streams } from '@builderai/kit';
import type { Message, PrismaClient } from '../generated/prisma/client.ts';
import { chatEvents } from '../events.js';
import type { ChatConfig } from '../config.js';
import { CompletionError } from './completion.js';
import { contextWindow } from './context-window.js';
import { runAnswerSteps, type StepsResult, type ToolBox } from './answer-steps.js';
import { FILE_TOOLS } from './tools/definitions.js';
import { runTool } from './tools/run-tool.js';
import { callMcpTool, loadMcpTools } from './tools/mcp-tools.js';
import type { ToolApprovals } from './approvals.js';
import { endpointOf } from './models.js';
import type { RunningAnswers } from './stopping.js';
import { ProjectFilesError, projectFilesThroughRouter } from './tools/project-files.js';
import { TurnWorkspace } from './tools/workspace.js';
import { parsedArguments, shownResult } from './tool-calls.js';
import { randomUUID } from 'node:crypto';

export interface GenerationDeps {
  db: PrismaClient;
  streams: Streams;
  config: ChatConfig;
  logger: Logger;
  router: RouterClient;
  publishEvents: () => void;
  answers: RunningAnswers;
  approvals: ToolApprovals;
}

/** Why the platform refused to act for the user, in words the user can act on. */
function filesFailure(error: ProjectFilesError): string {
  if (error.code === 'UNAUTHENTICATED') return 'This answer waited too long to change your files on your behalf; nothing was changed. Ask again.';
  return `Your files were not changed: ${error.message}`;
}

export type AnswerJob = EventPayload<typeof chatEvents, 'chat.answer.requested'>;

export const conversationStream = (conversationId: string) => `conversation:${conversationId}`;

export async function writeAnswer(deps: GenerationDeps, job: AnswerJob): Promise<void> {
  const { db, streams, config } = deps;
  const answer = await db.message.findUnique({ where: { id: job.messageId } });
  // Done already (a redelivered job), or gone with its conversation.
  if (!answer || (answer.status !== 'PENDING' && answer.status !== 'STREAMING')) return;
  const ttlMs = config.generation.streamTtlSeconds * 1000;
  const stream = conversationStream(answer.conversationId);
  let lastEntry = '0-0';
  const event = async (fields: Record<string, string>) => (lastEntry = await streams.append(stream, { messageId: answer.id, ...fields }, ttlMs));
  const model = String((answer.metadata as { model?: string } | null)?.model ?? '');
  const { projectId, userId, conversationId, messageId } = job;
  const generation = { projectId, userId, conversationId, messageId, model };

  if (await deps.answers.isStopped(answer.id)) {
    await db.message.updateMany({ where: { id: answer.id, status: { in: ['PENDING', 'STREAMING'] } }, data: { status: 'CANCELLED', actingFor: null } });
    await event({ type: 'cancelled' });
    return;
  }
  const restarted = answer.status === 'STREAMING';
  await db.$transaction(async (tx) => {
    await tx.message.update({ where: { id: answer.id }, data: { status: 'STREAMING', content: '' } });
    // A restarted answer makes its calls again (nothing it wrote was committed).
    await tx.toolCall.deleteMany({ where: { messageId: answer.id } });
    await chatEvents.record(tx, 'chat.generation.started', generation);
  });
  deps.publishEvents();
  await event({ type: restarted ? 'restarted' : 'started' });

  const started = Date.now();
  let text = '';
  let result: StepsResult | undefined;
  let failure: string | undefined;
  let stopped = false;
  let checkpointId: string | null = null;
  let summaryUsage = { promptTokens: 0, completionTokens: 0 };
  let position = 0;
  const callIds = new Map<string, string>();
  try {
    const spec = config.models.find((candidate) => candidate.id === model);
    const endpoint = spec && endpointOf(spec, config.providers);
    if (!spec || !endpoint || 'missing' in endpoint) throw new CompletionError(`The model ${model} is no longer configured`);
    const { maxRetries } = config.generation;
    const identity = answer.actingFor ? { userId, roles: [], proof: answer.actingFor } : undefined;
    const files = identity && projectFilesThroughRouter(deps.router, identity, projectId, answer.id);
    const workspace = files && new TurnWorkspace(files, config.tools);
    result = await deps.answers.run(answer.id, async (signal) => {
      const window = await contextWindow(deps, answer, job.project, { spec, ...endpoint, timeoutMs: config.generation.summaryTimeoutMs, maxRetries, signal });
      summaryUsage = window.usage;
      const request = { signal, ...endpoint, model: spec.model ?? spec.id, firstTokenTimeoutMs: config.generation.firstTokenTimeoutMs, idleTimeoutMs: config.generation.idleTimeoutMs, maxRetries };
      // A project that uses no MCP servers (as the job says) costs no request; an older job without the list asks.
      const usesMcp = job.project?.mcpServerIds === undefined || job.project.mcpServerIds.length > 0;
      const mcpTools = identity && usesMcp ? await loadMcpTools(deps.router, identity, projectId, answer.id).catch((error) => {
        // The answer goes on with the file tools alone.
        deps.logger.warn({ err: error, messageId: answer.id }, 'could not read the project\'s MCP tools');
        return [];
      }) : [];
      const tools: ToolBox | undefined = workspace && {
        definitions: [...FILE_TOOLS, ...mcpTools.map((tool) => tool.definition)],
        run: async (call) => {
          const mcp = mcpTools.find((tool) => tool.name === call.name);
          if (!mcp) return runTool(workspace, call.name, call.arguments);
          if (mcp.consent === 'ASK') {
            const toolCallId = callIds.get(call.id)!;
            await event({ type: 'tool_approval', toolCallId, name: call.name, arguments: JSON.stringify(parsedArguments(call.arguments)) });
            const approval = await deps.approvals.wait(answer.id, toolCallId, config.tools.approvalTimeoutMs, signal);
            if (approval === 'rejected') return { ok: false, error: 'The user did not allow this call' };
            if (approval === 'timeout') return { ok: false, error: `The user did not answer within ${config.tools.approvalTimeoutMs / 1000} s; the call was not made` };
          }
          return callMcpTool(deps.router, identity!, mcp, call.arguments, answer.id);
        },
      };
      return runAnswerSteps({
        request,
        messages: window.messages,
        tools,
        maxSteps: config.tools.maxSteps,
        onDelta: async (delta) => {
          text += delta;
          await event({ type: 'delta', text: delta });
        },
        onToolCall: async (call) => {
          // The stored call keeps the id its first event gave it.
          callIds.set(call.id, randomUUID());
          await event({ type: 'tool_call', toolCallId: callIds.get(call.id)!, name: call.name, arguments: JSON.stringify(parsedArguments(call.arguments)) });
        },
        onToolResult: async (call) => {
          const id = callIds.get(call.id)!;
          await db.toolCall.create({
            data: { id, messageId: answer.id, position: position++, name: call.name, arguments: parsedArguments(call.arguments), result: shownResult(call.result), error: call.error, durationMs: call.durationMs },
          });
          await event({ type: 'tool_result', toolCallId: id });
        },
      });
    });
    if (workspace) {
      const changes = await workspace.changeSet();
      if (changes.length > 0) checkpointId = await files!.commit(answer.id, changes);
    }
  } catch (error) {
    if (error instanceof ProjectFilesError) failure = filesFailure(error);
    else if (error instanceof CompletionError) {
      stopped = error.stopped;
      failure = stopped ? 'Stopped by the user' : error.message;
    } else throw error;
  }

  const usage = { promptTokens: result?.promptTokens ?? 0, completionTokens: result?.completionTokens ?? 0 };
  const metadata = {
    model,
    ...usage,
    latencyMs: Date.now() - started,
    finishReason: failure ? 'error' : (result?.finishReason ?? 'error'),
    ...(result?.steps && { toolSteps: result.steps }),
    ...(checkpointId && { checkpointId }),
    ...(summaryUsage.promptTokens && { summary: summaryUsage }),
  };
  // Billing counts everything the provider was asked for this answer, its summary included.
  const billed = { promptTokens: usage.promptTokens + summaryUsage.promptTokens, completionTokens: usage.completionTokens + summaryUsage.completionTokens };
  await db.$transaction(async (tx) => {
    const status = stopped ? 'CANCELLED' : failure ? 'FAILED' : 'COMPLETE';
    // Stored after the millisecond of its last event so far: a subscriber that comes back
    // once the stream has expired, with the cursor of any event before the end, is told the
    // end from here (domain/message-stream.ts).
    const updatedAt = new Date(Math.max(Date.now(), Number(lastEntry.split('-')[0]) + 1));
    await tx.message.update({ where: { id: answer.id }, data: { status, content: text, error: stopped ? null : (failure ?? null), metadata, updatedAt, actingFor: null } });
    if (failure) await chatEvents.record(tx, 'chat.generation.failed', { ...generation, ...billed, reason: failure });
    else await chatEvents.record(tx, 'chat.generation.completed', { ...generation, ...billed });
  });
  deps.publishEvents();
  await event(stopped ? { type: 'cancelled' } : failure ? { type: 'error', message: failure } : { type: 'done' });
  if (failure && !stopped) deps.logger.warn({ messageId: answer.id, model, reason: failure }, 'an answer failed');
}

