// Turns an undici Response into one of the global Response class: the MCP SDK tells responses
// apart with `instanceof Response` (OAuth errors), which an undici Response is not.
import type { Response as UndiciResponse } from 'undici';

// Statuses whose Response must be built without a body.
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

// A body nobody reads or cancels never ends: release its request when the Response is collected.
const unread = new FinalizationRegistry<() => void>((settled) => settled());

/** The same status, headers, body and URL as a global Response; `settled` runs once the body is done. */
export function toGlobalResponse(response: UndiciResponse, settled: () => void): Response {
  const source = response.body as ReadableStream<Uint8Array> | null;
  let body: ReadableStream<Uint8Array> | null = null;
  if (source && !NULL_BODY_STATUSES.has(response.status)) {
    body = watchBody(source, settled);
  } else {
    source?.cancel().catch(() => {});
    settled();
  }
  const wrapped = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    // Pairs, so no Headers class of one fetch implementation is handed to another.
    headers: [...response.headers] as [string, string][],
  });
  // The SDK names the target of a redirect it did not follow from the response's URL.
  Object.defineProperty(wrapped, 'url', { value: response.url });
  Object.defineProperty(wrapped, 'redirected', { value: response.redirected });
  if (body) unread.register(wrapped, settled);
  return wrapped;
}

/** The chunks of `source`, calling `settled` when it ends, fails or is cancelled. */
function watchBody(source: ReadableStream<Uint8Array>, settled: () => void): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          settled();
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        settled();
        controller.error(error);
      }
    },
    async cancel(reason) {
      settled();
      await reader.cancel(reason);
    },
  });
}
