// The steps of an answer that may use tools: the model answers, or calls tools whose results go
// back to it, until it answers with text or the step limit is reached (it is then asked once
// more, without tools, to say what it did). Text streams as it comes; each call is announced,
// stored with its result and duration, and announced again when done.
import type { CompletionRequest, CompletionResult, ToolCallRequest, ToolDefinition, TurnMessage } from './completion.js';
import { streamCompletion } from './completion.js';
import type { ToolOutcome } from './tools/run-tool.js';

/** The tools of an answer: what the model is offered, and how a call of one is carried out. */
export interface ToolBox {
  definitions: ToolDefinition[];
  run(call: ToolCallRequest): Promise<ToolOutcome>;
}

export interface StepsOptions {
  request: Omit<CompletionRequest, 'messages' | 'tools'>;
  messages: TurnMessage[];
  /** Absent: the model answers without tools. */
  tools?: ToolBox;
  maxSteps: number;
  onDelta: (text: string) => Promise<void>;
  onToolCall: (call: { id: string; name: string; arguments: string }) => Promise<void>;
  onToolResult: (call: ToolCallRecord) => Promise<void>;
}

export interface ToolCallRecord {
  id: string;
  name: string;
  arguments: string;
  result: string | null;
  error: string | null;
  durationMs: number;
}

export interface StepsResult extends CompletionResult {
  text: string;
  steps: number;
}

/** Calls of one step past this are not run (each is answered with an error). */
export const MAX_CALLS_PER_STEP = 50;

const STEP_LIMIT_NOTE = 'You have used every tool call this answer may make. Do not call tools; tell the user what you changed and what is left to do.';

export async function runAnswerSteps(options: StepsOptions): Promise<StepsResult> {
  const messages = [...options.messages];
  let text = '';
  const total: StepsResult = { text: '', steps: 0, finishReason: '', promptTokens: 0, completionTokens: 0, toolCalls: [] };
  for (;;) {
    const toolsLeft = options.tools && total.steps < options.maxSteps;
    if (options.tools && !toolsLeft) messages.push({ role: 'system', content: STEP_LIMIT_NOTE });
    // The texts of two steps are one answer, a paragraph apart.
    let stepText = '';
    const result = await streamCompletion({ ...options.request, messages, ...(toolsLeft && { tools: options.tools!.definitions }) }, async (delta) => {
      const piece = stepText === '' && text !== '' ? `\n\n${delta}` : delta;
      stepText += delta;
      text += piece;
      await options.onDelta(piece);
    });
    total.promptTokens += result.promptTokens;
    total.completionTokens += result.completionTokens;
    total.finishReason = result.finishReason;
    if (!toolsLeft || result.toolCalls.length === 0) return { ...total, text };

    total.steps += 1;
    messages.push({
      role: 'assistant',
      content: stepText || null,
      tool_calls: result.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
    });
    for (const [index, call] of result.toolCalls.entries()) {
      await options.onToolCall(call);
      const started = Date.now();
      const outcome =
        index < MAX_CALLS_PER_STEP
          ? await options.tools!.run(call)
          : { ok: false as const, error: `Not run: at most ${MAX_CALLS_PER_STEP} calls are run per step` };
      const record = { ...call, result: outcome.ok ? outcome.result : null, error: outcome.ok ? null : outcome.error, durationMs: Date.now() - started };
      await options.onToolResult(record);
      messages.push({ role: 'tool', tool_call_id: call.id, content: outcome.ok ? outcome.result : `Error: ${outcome.error}` });
    }
  }
}
