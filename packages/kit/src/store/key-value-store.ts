// Short-lived shared state (rate-limit windows, login failures, revoked sessions):
// Redis when configured, process memory in embedded mode.
export interface WindowCount {
  count: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

export interface KeyValueStore {
  /** Counts one hit (or `units` at once) in a fixed window that starts with the first hit. */
  hit(key: string, windowMs: number, units?: number): Promise<WindowCount>;
  /** The current count of a window without counting. */
  peek(key: string): Promise<WindowCount>;
  /** Marks a key for ttlMs (e.g. a revoked session). */
  flag(key: string, ttlMs: number): Promise<void>;
  /** Which of the keys are flagged, in order. */
  flagged(keys: string[]): Promise<boolean[]>;
  delete(key: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
