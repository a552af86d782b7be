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

/** Long strings in stored arguments (a whole file written) are cut to this. */
export const SHOWN_ARGUMENT_MAX_CHARS = 2_000;

const cutStrings = (value: unknown): unknown => {
  if (typeof value === 'string') return value.length <= SHOWN_ARGUMENT_MAX_CHARS ? value : `${value.slice(0, SHOWN_ARGUMENT_MAX_CHARS)}… (${value.length} characters in all)`;
  if (Array.isArray(value)) return value.map(cutStrings);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cutStrings(item)]));
  return value;
};

/**
 * The model's arguments as stored and shown: the object it wrote (or its text when it wrote no
 * valid JSON), long strings cut, so an answer's calls cost bounded storage.
 */
export function parsedArguments(raw: string): object {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null) return cutStrings(parsed) as object;
  } catch {
    // kept as text below
  }
  return { raw: cutStrings(raw) };
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
