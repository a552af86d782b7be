// A local server speaking OpenAI's chat-completions protocol (streamed as server-sent events),
// so the real `openai` client is what chat uses in tests. What it answers is chosen by the last
// user message: "echo <text>" streams <text> word by word; "fail mid-stream" breaks off after a
// word; "busy once" answers 429 (Retry-After: 0) the first time; "stall" sends a word, then
// nothing; "slow <n>" sends n words 100 ms apart. A request that is not streamed (a summary)
// gets "Summary <n>." (n counting them), or HTTP 400 when its messages say "summary fails".
// A scripted turn (`script(trigger, steps)`) answers a user message equal to `trigger` with tool
// calls and text, one step per request of the turn, and counts tokens as the model would.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { encode } from 'gpt-tokenizer';

/** One answer of the model in a scripted turn: tool calls, text, or both. */
export interface ScriptedStep {
  text?: string;
  toolCalls?: Array<{ name: string; arguments: unknown }>;
  /** Sends the text, then breaks the connection (a provider failing mid-answer). */
  breakOff?: boolean;
}

/** What a step may depend on: the turn's messages so far (tool results included). */
export interface ScriptedTurn {
  /** 0 for the turn's first request, then one more per round of tool calls. */
  step: number;
  /** The results the tools gave in the turn so far, in order ("Error: ..." for failures). */
  toolResults: string[];
  messages: ChatMessage[];
}

type ChatMessage = { role: string; content: string | null; tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>; tool_call_id?: string };

/** The API key the server takes (any other is refused with 401). */
export const FAKE_OPENAI_API_KEY = 'test-key';

export interface FakeOpenAI {
  baseUrl: string;
  /** Requests received, with their bodies. */
  requests: Array<{ model: string; stream: boolean; messages: Array<{ role: string; content: string }>; tools?: unknown[]; usage?: { promptTokens: number; completionTokens: number } }>;
  /**
   * Answers the user message `trigger` with `steps` (the turn's first request gets the first
   * step, ...; past the last, "Done."), or with what `next` says for each request.
   */
  script(trigger: string, steps: ScriptedStep[] | ((turn: ScriptedTurn) => ScriptedStep | Promise<ScriptedStep>)): void;
  /** Streams the client closed before their end (a stopped answer). */
  abandoned(): number;
  close(): Promise<void>;
}

/** Tokens as a model counts them: each message's text and calls, a few per message, and the tool definitions. */
function promptTokensOf(messages: ChatMessage[], tools: unknown[] | undefined): number {
  let total = tools?.length ? encode(JSON.stringify(tools)).length : 0;
  for (const message of messages) {
    total += 4 + encode(message.content ?? '').length;
    for (const call of message.tool_calls ?? []) total += 3 + encode(call.function.name).length + encode(call.function.arguments).length;
  }
  return total + 2;
}

/** The messages of the turn after its user message. */
function turnOf(messages: ChatMessage[]): ScriptedTurn {
  const start = messages.map((message) => message.role).lastIndexOf('user');
  const after = messages.slice(start + 1);
  return {
    step: after.filter((message) => message.role === 'assistant').length,
    toolResults: after.filter((message) => message.role === 'tool').map((message) => message.content ?? ''),
    messages,
  };
}

const chunk = (model: string, delta: Record<string, unknown>, finishReason: string | null = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const requests: FakeOpenAI['requests'] = [];
  const scripts = new Map<string, ScriptedStep[] | ((turn: ScriptedTurn) => ScriptedStep | Promise<ScriptedStep>)>();
  const busy = new Set<string>();
  let abandoned = 0;
  let summaries = 0;
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const part of req) chunks.push(part as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const request: FakeOpenAI['requests'][number] = { model: body.model, stream: body.stream === true, messages: body.messages, tools: body.tools };
    requests.push(request);
    if (req.headers.authorization !== `Bearer ${FAKE_OPENAI_API_KEY}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Incorrect API key', type: 'invalid_request_error' } }));
      return;
    }
    if (body.stream !== true) {
      if (body.messages.some((message: { content: string }) => message.content.includes('summary fails'))) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Cannot summarize', type: 'invalid_request_error' } }));
        return;
      }
      summaries += 1;
      const content = `Summary ${summaries}.`;
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 'chatcmpl-test',
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 30, completion_tokens: 3, total_tokens: 33 },
        }),
      );
      return;
    }
    const last: string = body.messages.filter((message: { role: string }) => message.role === 'user').at(-1)?.content ?? '';
    if (last.startsWith('busy once') && !busy.has(last)) {
      busy.add(last);
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' }).end(JSON.stringify({ error: { message: 'Rate limit reached', type: 'rate_limit' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const model = body.model as string;
    res.write(chunk(model, { role: 'assistant', content: '' }));
    const script = scripts.get(last);
    if (script) {
      const turn = turnOf(body.messages);
      const step = typeof script === 'function' ? await script(turn) : (script[turn.step] ?? { text: 'Done.' });
      const calls = (step.toolCalls ?? []).map((call, index) => ({ id: `call_${turn.step}_${index}`, name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) }));
      if (step.text) for (const [i, word] of step.text.split(' ').entries()) res.write(chunk(model, { content: i === 0 ? word : ` ${word}` }));
      if (step.breakOff) {
        setTimeout(() => res.destroy(), 50);
        return;
      }
      for (const [index, call] of calls.entries()) {
        // Arguments arrive in pieces, as a real stream sends them.
        const half = Math.floor(call.arguments.length / 2);
        res.write(chunk(model, { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments.slice(0, half) } }] }));
        res.write(chunk(model, { tool_calls: [{ index, function: { arguments: call.arguments.slice(half) } }] }));
      }
      res.write(chunk(model, {}, calls.length ? 'tool_calls' : 'stop'));
      const usage = {
        promptTokens: promptTokensOf(body.messages, body.tools),
        completionTokens: encode(step.text ?? '').length + calls.reduce((sum, call) => sum + 3 + encode(call.name).length + encode(call.arguments).length, 0),
      };
      request.usage = usage;
      res.write(`data: ${JSON.stringify({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 0, model, choices: [], usage: { prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens, total_tokens: usage.promptTokens + usage.completionTokens } })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    if (last === 'stall') {
      res.write(chunk(model, { content: 'Thinking' }));
      return; // and nothing more
    }
    if (last.startsWith('slow ')) {
      const total = Number(last.slice(5));
      let sent = 0;
      const tick = setInterval(() => {
        if (sent === total) {
          clearInterval(tick);
          res.write(chunk(model, {}, 'stop'));
          res.end('data: [DONE]\n\n');
          return;
        }
        res.write(chunk(model, { content: `${sent ? ' ' : ''}w${sent}` }));
        sent += 1;
      }, 100);
      res.on('close', () => {
        if (sent < total) abandoned += 1;
        clearInterval(tick);
      });
      return;
    }
    if (last === 'fail mid-stream') {
      res.write(chunk(model, { content: 'Half' }));
      setTimeout(() => res.destroy(), 50);
      return;
    }
    const words = (last.replace(/^(echo|busy once)\s*/, '') || 'Hello').split(' ');
    for (const [i, word] of words.entries()) res.write(chunk(model, { content: i === 0 ? word : ` ${word}` }));
    res.write(chunk(model, {}, 'stop'));
    res.write(`data: ${JSON.stringify({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 0, model, choices: [], usage: { prompt_tokens: 42, completion_tokens: words.length, total_tokens: 42 + words.length } })}\n\n`);
    res.end('data: [DONE]\n\n');
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (trigger, steps) => void scripts.set(trigger, steps),
    abandoned: () => abandoned,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
