// Append-only streams of entries (a chat answer's chunks): Redis Streams when configured, process
// memory in embedded mode. An entry's id orders it within its stream and is what a reader
// resumes after; a stream keeps every entry (nothing trims it) until it expires, `ttlMs` after
// its last append.
export interface StreamEntry {
  id: string;
  fields: Record<string, string>;
}

export interface Streams {
  /** Appends an entry; returns its id. */
  append(stream: string, fields: Record<string, string>, ttlMs: number): Promise<string>;
  /** At most `count` entries after `afterId` (from the start without one), oldest first. */
  read(stream: string, afterId: string | undefined, count: number): Promise<StreamEntry[]>;
  /**
   * Every entry after `afterId`, then each new one as it is appended, until `signal` aborts.
   * In order, each once; readers of one process share one blocking read per stream.
   */
  follow(stream: string, afterId: string | undefined, signal: AbortSignal): AsyncIterable<StreamEntry>;
  close(): Promise<void>;
}
