// A tool call as clients see it: from the database once it has ended, or from the stream's
// TOOL_CALL event while it runs.
import type { ToolCall } from '../generated/prisma/client.ts';

export interface ToolCallView {
  id: string;
  name: string;
  arguments: unknown;
  result: string | null;
  error: string | null;
  durationMs: number | null;
}

/** A result is stored and shown cut to this (the model got all of it). */
export const SHOWN_RESULT_MAX_CHARS = 10_000;

export const shownResult = (result: string | null) =>
  result === null || result.length <= SHOWN_RESULT_MAX_CHARS ? result : `${result.slice(0, SHOWN_RESULT_MAX_CHARS)}… (${result.length} characters in all)`;

/** The model's arguments as stored: the object it wrote, or its text when it wrote no valid JSON. */
export function parsedArguments(raw: string): object {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null) return parsed;
  } catch {
    // kept as text below
  }
  return { raw };
}

export const toolCallView = (row: ToolCall): ToolCallView => ({
  id: row.id,
  name: row.name,
  arguments: row.arguments,
  result: row.result,
  error: row.error,
  durationMs: row.durationMs,
});

/** A call still running, as its TOOL_CALL event tells it. */
export const runningToolCall = (fields: Record<string, string>): ToolCallView => ({
  id: fields.toolCallId ?? '',
  name: fields.name ?? '',
  arguments: parsedArguments(fields.arguments ?? ''),
  result: null,
  error: null,
  durationMs: null,
});
