import { McpServer, type RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ZodRawShapeCompat } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

// Tool definitions for the local MCP servers, and how they become tools of an McpServer.

export type McpToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** A string is answered as one text block. A thrown error becomes an `isError` result (the SDK does that). */
export type McpToolResult = CallToolResult | string;

export interface McpTestTool {
  name: string;
  description?: string;
  /** A zod raw shape, e.g. `{ a: z.number() }`; none means no arguments. */
  inputSchema?: ZodRawShapeCompat;
  outputSchema?: ZodRawShapeCompat;
  // Arguments arrive validated against inputSchema.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handler: (args: any, extra: McpToolExtra) => McpToolResult | Promise<McpToolResult>;
}

export function registerTestTool(server: McpServer, tool: McpTestTool): RegisteredTool {
  const { name, description, inputSchema = {}, outputSchema, handler } = tool;
  const callback = async (args: unknown, extra: McpToolExtra): Promise<CallToolResult> => {
    const result = await handler(args, extra);
    return typeof result === 'string' ? { content: [{ type: 'text', text: result }] } : result;
  };
  // The callback's argument type depends on the schema's type, which is open here.
  return server.registerTool(name, { description, inputSchema, outputSchema }, callback as never);
}

/** How many `slow` calls ended because the client cancelled them (timeout or abort). */
export interface CancellationCount {
  cancellations: number;
}

/** add, echo, slow and fail: enough to exercise results, structured output, cancellation and tool errors. */
export function defaultTestTools(counts: CancellationCount): McpTestTool[] {
  return [
    {
      name: 'add',
      description: 'Adds two numbers',
      inputSchema: { a: z.number(), b: z.number() },
      outputSchema: { sum: z.number() },
      handler: ({ a, b }: { a: number; b: number }) => ({ content: [{ type: 'text', text: String(a + b) }], structuredContent: { sum: a + b } }),
    },
    {
      name: 'echo',
      description: 'Answers with the message it was given',
      inputSchema: { message: z.string() },
      handler: ({ message }: { message: string }) => message,
    },
    {
      name: 'slow',
      description: 'Answers after the given number of milliseconds, unless cancelled first; reports progress 0 when it starts',
      inputSchema: { ms: z.number().int().nonnegative() },
      handler: async ({ ms }: { ms: number }, { signal, _meta, sendNotification }) => {
        // Tells a client that passed onprogress that the call is running, so it can cancel a running call.
        const progressToken = _meta?.progressToken;
        if (progressToken !== undefined) await sendNotification({ method: 'notifications/progress', params: { progressToken, progress: 0, total: ms } });
        return new Promise<string>((resolve, reject) => {
          const cancelled = () => {
            clearTimeout(timer);
            counts.cancellations++;
            reject(new Error('cancelled'));
          };
          const timer = setTimeout(() => {
            signal.removeEventListener('abort', cancelled);
            resolve(`waited ${ms} ms`);
          }, ms);
          if (signal.aborted) cancelled();
          else signal.addEventListener('abort', cancelled, { once: true });
        });
      },
    },
    {
      name: 'fail',
      description: 'Always fails',
      handler: () => {
        throw new Error('fail: this tool always fails');
      },
    },
  ];
}
