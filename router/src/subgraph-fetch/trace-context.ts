// W3C trace context: the router is one hop of the trace, so subgraphs get the caller's trace id
// with a new parent id, or a new trace when the caller sent none (or a malformed one).
import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE_ID = '0'.repeat(32);

export const TRACEPARENT_HEADER = 'traceparent';

// Ids are drawn from a pool refilled 4 KiB at a time: one randomBytes call per request is a
// measurable share of the router's hot path.
const POOL_BYTES = 4096;
let pool = randomBytes(POOL_BYTES);
let offset = 0;

function randomHex(bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  offset += bytes;
  return pool.toString('hex', offset - bytes, offset);
}

export function nextTraceparent(incoming: string | string[] | undefined): string {
  const match = typeof incoming === 'string' ? TRACEPARENT.exec(incoming.trim()) : null;
  const parentId = randomHex(8);
  if (match && match[1] !== 'ff' && match[2] !== ZERO_TRACE_ID) return `00-${match[2]}-${parentId}-${match[4]}`;
  return `00-${randomHex(16)}-${parentId}-01`;
}
