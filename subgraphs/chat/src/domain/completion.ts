// One streamed chat completion from an OpenAI-compatible provider, through the `openai`
// package: its retries (429 and 5xx, Retry-After honoured), a deadline for the first token and
// between tokens, and cancellation that aborts the upstream request. With tools, the calls the
// model makes are gathered from their streamed pieces.
import OpenAI from 'openai';

export interface CompletionMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A call the model asked for: `arguments` is the JSON text it wrote (not yet checked). */
export interface ToolCallRequest {
  id: string;
  name: string;
  arguments: string;
}

/** The messages of a turn with tools: the model's calls and what they gave back. */
export type TurnMessage =
  | CompletionMessage
  | { role: 'assistant'; content: string | null; tool_calls: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> }
  | { role: 'tool'; tool_call_id: string; content: string };

export type ToolDefinition = OpenAI.Chat.Completions.ChatCompletionTool;

export interface CompletionRequest {
  baseUrl: string;
  apiKey: string;
  model: string;
  messages: TurnMessage[];
  /** The tools the model may call; it then answers with calls or with text. */
  tools?: ToolDefinition[];
  firstTokenTimeoutMs: number;
  idleTimeoutMs: number;
  maxRetries: number;
  /** Aborts the upstream request (stopGeneration). */
  signal?: AbortSignal;
}

export interface CompletionResult {
  finishReason: string;
  promptTokens: number;
  completionTokens: number;
  /** The calls the model made, in order (none when it answered with text). */
  toolCalls: ToolCallRequest[];
}

/** Why a completion failed, in words a user can read. */
export class CompletionError extends Error {
  override name = 'CompletionError';
  constructor(
    message: string,
    /** Stopped on purpose (stopGeneration), not failed. */
    readonly stopped = false,
  ) {
    super(message);
  }
}

function readable(error: unknown, timedOut: string | undefined): CompletionError {
  if (timedOut) return new CompletionError(timedOut);
  if (error instanceof OpenAI.APIError && error.status) return new CompletionError(`The model provider refused the request (HTTP ${error.status}): ${error.message}`);
  if (error instanceof OpenAI.APIConnectionError) return new CompletionError('The model provider could not be reached');
  return new CompletionError(`The answer broke off: ${(error as Error).message}`);
}

/** Streams the answer, calling `onDelta` with each piece of text; resolves with the usage. */
export async function streamCompletion(request: CompletionRequest, onDelta: (text: string) => Promise<void>): Promise<CompletionResult> {
  const client = new OpenAI({ baseURL: request.baseUrl, apiKey: request.apiKey, maxRetries: request.maxRetries, timeout: request.firstTokenTimeoutMs });
  const controller = new AbortController();
  const cancel = () => controller.abort();
  request.signal?.addEventListener('abort', cancel, { once: true });
  let timedOut: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const deadline = (ms: number, why: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = why;
      controller.abort();
    }, ms);
  };

  const result: CompletionResult = { finishReason: '', promptTokens: 0, completionTokens: 0, toolCalls: [] };
  // Streamed calls come in pieces, each naming the call's index.
  const calls: ToolCallRequest[] = [];
  try {
    deadline(request.firstTokenTimeoutMs, `The model sent nothing for ${request.firstTokenTimeoutMs / 1000} s`);
    const tools = request.tools?.length ? { tools: request.tools } : {};
    const stream = await client.chat.completions.create(
      { model: request.model, messages: request.messages as OpenAI.Chat.Completions.ChatCompletionMessageParam[], ...tools, stream: true, stream_options: { include_usage: true } },
      { signal: controller.signal },
    );
    for await (const chunk of stream) {
      deadline(request.idleTimeoutMs, `The model stopped sending for ${request.idleTimeoutMs / 1000} s`);
      const choice = chunk.choices[0];
      if (choice?.delta?.content) await onDelta(choice.delta.content);
      for (const piece of choice?.delta?.tool_calls ?? []) {
        const call = (calls[piece.index] ??= { id: '', name: '', arguments: '' });
        if (piece.id) call.id = piece.id;
        if (piece.function?.name) call.name += piece.function.name;
        if (piece.function?.arguments) call.arguments += piece.function.arguments;
      }
      if (choice?.finish_reason) result.finishReason = choice.finish_reason;
      if (chunk.usage) {
        result.promptTokens = chunk.usage.prompt_tokens;
        result.completionTokens = chunk.usage.completion_tokens;
      }
    }
  } catch (error) {
    if (request.signal?.aborted) throw new CompletionError('Stopped', true);
    throw readable(error, timedOut);
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', cancel);
  }
  // An aborted or cut stream may just end: only a finish reason says the model finished.
  if (request.signal?.aborted) throw new CompletionError('Stopped', true);
  if (timedOut) throw new CompletionError(timedOut);
  if (!result.finishReason) throw new CompletionError('The answer broke off before the model finished');
  result.toolCalls = calls.filter(Boolean).map((call, index) => ({ ...call, id: call.id || `call_${index}` }));
  return result;
}

export interface ShortCompletionRequest {
  baseUrl: string;
  apiKey: string;
  model: string;
  messages: CompletionMessage[];
  /** For the whole answer (it is not streamed). */
  timeoutMs: number;
  maxRetries: number;
  signal?: AbortSignal;
}

/** A completion not streamed (a summary): its text and usage. */
export async function complete(request: ShortCompletionRequest): Promise<{ text: string; promptTokens: number; completionTokens: number }> {
  const client = new OpenAI({ baseURL: request.baseUrl, apiKey: request.apiKey, maxRetries: request.maxRetries, timeout: request.timeoutMs });
  let response: OpenAI.Chat.Completions.ChatCompletion;
  try {
    response = await client.chat.completions.create({ model: request.model, messages: request.messages, stream: false }, { signal: request.signal });
  } catch (error) {
    if (request.signal?.aborted) throw new CompletionError('Stopped', true);
    throw readable(error, undefined);
  }
  const text = response.choices[0]?.message?.content?.trim();
  if (!text) throw new CompletionError('The model answered with no text');
  return { text, promptTokens: response.usage?.prompt_tokens ?? 0, completionTokens: response.usage?.completion_tokens ?? 0 };
}
