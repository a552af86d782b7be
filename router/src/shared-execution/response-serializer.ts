// How answers become bytes, once per answer rather than once per request. Requests that shared
// an execution (index.ts) carry the same `data` object; serializing a 65 KB answer and encoding
// it to UTF-8 for each of them was most of the router's CPU once executions were shared. The
// text is exactly what Apollo Server's default writes (compact JSON and a newline).
// Only error-free answers are shared; with errors, each request's are formatted on their own.
import type { FormattedExecutionResult } from 'graphql';

/** Encoded answers are only needed while their requests are written: keep the latest few MB. */
const ENCODED_BYTES_BUDGET = 8 * 1024 * 1024;

export interface ResponseSerializer {
  /** Apollo Server's `stringifyResult`. */
  stringifyResult(result: FormattedExecutionResult): string;
  /** The kit handler's `encodeBody`: the bytes of a shared answer, or the text itself. */
  encodeBody(text: string): string | Uint8Array;
}

const serialize = (result: FormattedExecutionResult) => `${JSON.stringify(result)}\n`;

export function sharedResponseSerializer(): ResponseSerializer {
  // Weak: a text lives as long as some request still holds the answer's data.
  const texts = new WeakMap<object, string>();
  // By text: the requests of a shared answer hold the same string object, a cheap lookup.
  const encoded = new Map<string, Buffer>();
  let encodedBytes = 0;

  function keepEncoded(text: string): void {
    // The same text may come from another execution: encode it once and move it to the end.
    const bytes = encoded.get(text) ?? Buffer.from(text);
    if (encoded.delete(text)) encodedBytes -= bytes.length;
    if (bytes.length > ENCODED_BYTES_BUDGET) return;
    encoded.set(text, bytes);
    encodedBytes += bytes.length;
    // Oldest first (a Map iterates in insertion order).
    for (const [oldText, oldBytes] of encoded) {
      if (encodedBytes <= ENCODED_BYTES_BUDGET) break;
      encoded.delete(oldText);
      encodedBytes -= oldBytes.length;
    }
  }

  return {
    stringifyResult(result) {
      const { data } = result;
      if (!data || result.errors !== undefined || result.extensions !== undefined) return serialize(result);
      let text = texts.get(data);
      if (text === undefined) {
        text = serialize(result);
        texts.set(data, text);
        keepEncoded(text);
      }
      return text;
    },
    encodeBody: (text) => encoded.get(text) ?? text,
  };
}
