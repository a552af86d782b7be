// One AbortController per request, bridged from the caller's signal. The MCP transports pass
// the same long-lived signal to every fetch, and undici keeps a listener on the signal it is
// given until the signal is collected: given directly, that signal would gather one listener
// per request for the whole session.

export interface RequestSignal {
  /** The signal to give the one request. */
  readonly signal: AbortSignal;
  /** Stops following the caller's signal; call it once the request and its body are settled. */
  release(): void;
}

export function bridgeSignal(shared: AbortSignal | null | undefined): RequestSignal {
  const controller = new AbortController();
  if (!shared) return { signal: controller.signal, release: () => {} };
  if (shared.aborted) {
    controller.abort(shared.reason);
    return { signal: controller.signal, release: () => {} };
  }
  const forward = () => controller.abort(shared.reason);
  shared.addEventListener('abort', forward, { once: true });
  return { signal: controller.signal, release: () => shared.removeEventListener('abort', forward) };
}
