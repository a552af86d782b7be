// What the model reads to write an answer, within its window (the model's context window less
// what is kept for the answer): the system prompt, the summary of the longest prefix of the
// branch that one covers (conversation_contexts), and the newest turns that fit. When the turns
// overflow, the older ones are summarized by the same model and the summary is stored, so the
// next answers reuse it until the window overflows again; a summary that fails leaves the
// oldest turns out instead of failing the answer.
import type { Logger } from '@builderai/kit';
import type { ConversationContext, Message, PrismaClient } from '../generated/prisma/client.ts';
import type { ProjectSnapshot } from '../events.js';
import { branchIds } from './branches.js';
import { complete, CompletionError, type CompletionMessage } from './completion.js';
import { inputBudget, type ModelSpec } from './models.js';
import { systemPrompt } from './prompt.js';
import { MESSAGE_OVERHEAD, REPLY_PRIMING, tokenizer, type Tokenizer } from './tokens.js';

export interface WindowDeps {
  db: PrismaClient;
  logger: Logger;
}

/** The model and how to reach it, for summaries. */
export interface WindowModel {
  spec: ModelSpec;
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  maxRetries: number;
  signal?: AbortSignal;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export interface ContextWindow {
  messages: CompletionMessage[];
  /** What summarizing cost for this answer (nothing when a stored summary served). */
  usage: Usage;
}

interface Turn {
  id: string;
  message: CompletionMessage;
  cost: number;
}

/** Summary requests one answer may make: a longer history than they cover loses its oldest turns. */
const MAX_SUMMARY_REQUESTS = 3;

/** A summary's share of the window: a quarter, at most 1024 tokens. */
const summaryAllowance = (budget: number) => Math.min(1024, Math.floor(budget / 4));

const summaryMessage = (summary: string): CompletionMessage => ({ role: 'system', content: `Summary of the conversation before the messages below:\n${summary}` });

const instruction = (words: number): CompletionMessage => ({
  role: 'system',
  content:
    'You keep the memory of a conversation between a user and BuilderAI, an assistant that builds web applications. ' +
    "Summarize it for the assistant: the user's goals, requirements and decisions, names, file paths and open questions; " +
    `leave out pleasantries. At most ${words} words.`,
});

const total = (turns: Turn[]) => turns.reduce((sum, turn) => sum + turn.cost, 0);

export async function contextWindow(deps: WindowDeps, answer: Message, project: ProjectSnapshot | undefined, model: WindowModel): Promise<ContextWindow> {
  const tokens = await tokenizer();
  const budget = inputBudget(model.spec);
  const system: CompletionMessage = { role: 'system', content: systemPrompt(project, tokens, Math.floor(budget / 4)) };
  const fixed = tokens.cost(system) + REPLY_PRIMING;
  const ids = await branchIds(deps.db, answer.conversationId, answer.parentId);
  const stored = await coveringSummary(deps.db, answer.conversationId, ids);
  const turns = await turnsOf(deps.db, stored ? ids.slice(ids.indexOf(stored.upToMessageId) + 1) : ids, tokens);
  const allowance = summaryAllowance(budget);
  // Cut to this window's share: it may have been written for a larger one.
  const summary = stored ? summaryMessage(tokens.truncate(stored.summary, allowance)) : undefined;
  const room = budget - fixed - (summary ? tokens.cost(summary) : 0);
  const windowOf = (first: CompletionMessage | undefined, kept: Turn[]) => [system, ...(first ? [first] : []), ...kept.map((turn) => turn.message)];
  const nothing = { promptTokens: 0, completionTokens: 0 };
  if (!turns.length || total(turns) <= room) return { messages: windowOf(summary, turns), usage: nothing };

  // The turns that stay fill at most half of what is left beside a new summary (the question at
  // least), so the next answers have room before another summary is needed.
  const turnsRoom = budget - fixed - allowance - tokens.cost(summaryMessage(''));
  const kept = newest(turns, Math.max(Math.floor(turnsRoom / 2), Math.min(turns.at(-1)!.cost, turnsRoom)), tokens);
  const older = turns.slice(0, turns.length - kept.length);
  if (older.length) {
    try {
      const made = await summarize(model, tokens, stored?.summary, older, allowance, budget);
      const row = await deps.db.conversationContext.create({
        data: { conversationId: answer.conversationId, upToMessageId: older.at(-1)!.id, summary: made.text, tokenCount: tokens.count(made.text) },
      });
      return { messages: windowOf(summaryMessage(row.summary), kept), usage: made.usage };
    } catch (error) {
      if (error instanceof CompletionError && error.stopped) throw error;
      deps.logger.warn({ messageId: answer.id, reason: (error as Error).message }, 'summarizing older turns failed; they are left out');
    }
  }
  return { messages: windowOf(summary, newest(turns, room, tokens)), usage: nothing };
}

/** The stored summary covering the longest prefix of the branch (the newest of equals). */
async function coveringSummary(db: PrismaClient, conversationId: string, ids: string[]): Promise<ConversationContext | undefined> {
  if (!ids.length) return undefined;
  const rows = await db.conversationContext.findMany({ where: { conversationId, upToMessageId: { in: ids } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  const position = new Map(ids.map((id, index) => [id, index]));
  let best: ConversationContext | undefined;
  for (const row of rows) if (!best || position.get(row.upToMessageId)! > position.get(best.upToMessageId)!) best = row;
  return best;
}

/** The user's messages and the AI's complete answers among `ids`, in their order. */
async function turnsOf(db: PrismaClient, ids: string[], tokens: Tokenizer): Promise<Turn[]> {
  const rows = ids.length ? await db.message.findMany({ where: { id: { in: ids } } }) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids
    .map((id) => byId.get(id))
    .filter((message): message is Message => !!message && (message.sender === 'USER' || (message.sender === 'ASSISTANT' && message.status === 'COMPLETE')))
    .map((message) => {
      const completion: CompletionMessage = { role: message.sender === 'USER' ? 'user' : 'assistant', content: message.content };
      return { id: message.id, message: completion, cost: tokens.cost(completion) };
    });
}

/** The newest turns within `max` tokens; the newest alone, cut to fit, when even it is longer. */
function newest(turns: Turn[], max: number, tokens: Tokenizer): Turn[] {
  let used = 0;
  let from = turns.length;
  while (from > 0 && used + turns[from - 1]!.cost <= max) used += turns[--from]!.cost;
  if (from < turns.length || !turns.length) return turns.slice(from);
  const last = turns.at(-1)!;
  const content = `${tokens.truncate(last.message.content, Math.max(0, max - MESSAGE_OVERHEAD - 1))}…`;
  return [{ ...last, message: { ...last.message, content }, cost: max }];
}

/**
 * A summary of the earlier summary and `older`, from as many requests as the window needs (each
 * with the summary so far and the next part of the transcript), cut to `allowance` tokens.
 */
async function summarize(model: WindowModel, tokens: Tokenizer, previous: string | undefined, older: Turn[], allowance: number, budget: number): Promise<{ text: string; usage: Usage }> {
  const ask = instruction(Math.max(20, Math.floor(allowance * 0.7)));
  const room = budget - tokens.cost(ask) - REPLY_PRIMING - MESSAGE_OVERHEAD - 16;
  let summary = previous && tokens.truncate(previous, allowance);
  const lines = older.map((turn) => {
    const line = `${turn.message.role === 'user' ? 'User' : 'Assistant'}: ${turn.message.content}`;
    return { line, cost: tokens.count(line) + 1 };
  });
  const whole = lines.reduce((sum, { cost }) => sum + cost, 0);
  // One request when the transcript fits beside the summary so far; else parts that each leave
  // room for a summary of the parts before.
  let partRoom = room - (summary ? tokens.count(summary) : 0);
  if (whole > partRoom) partRoom = room - allowance;
  if (partRoom < 32) throw new Error('The window is too small to summarize in');
  const target = Math.ceil(whole / Math.ceil(whole / partRoom));
  // Parts of about the same size, newest first, each within partRoom.
  const parts: string[][] = [[]];
  let used = 0;
  for (let { line, cost } of lines.reverse()) {
    if (cost > partRoom) {
      line = `${tokens.truncate(line, partRoom - 2)}…`;
      cost = partRoom;
    }
    if (used && (used + cost > partRoom || used >= target)) {
      parts.push([]);
      used = 0;
    }
    parts.at(-1)!.unshift(line);
    used += cost;
  }
  // The earlier summary only leads into a transcript that follows it without a gap.
  if (parts.length > MAX_SUMMARY_REQUESTS) summary = undefined;
  const usage = { promptTokens: 0, completionTokens: 0 };
  for (const part of parts.slice(0, MAX_SUMMARY_REQUESTS).reverse()) {
    const content = summary ? `The summary so far:\n${summary}\n\nThe conversation since:\n${part.join('\n')}` : `The conversation:\n${part.join('\n')}`;
    const made = await complete({
      baseUrl: model.baseUrl,
      apiKey: model.apiKey,
      model: model.spec.model ?? model.spec.id,
      messages: [ask, { role: 'user', content }],
      timeoutMs: model.timeoutMs,
      maxRetries: model.maxRetries,
      signal: model.signal,
    });
    usage.promptTokens += made.promptTokens;
    usage.completionTokens += made.completionTokens;
    summary = tokens.truncate(made.text, allowance);
  }
  return { text: summary!, usage };
}
