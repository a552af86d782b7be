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
  /** An error-free answer's `data` for an executor that wrote it as JSON text: written as is, parsed only if something reads it. */
  dataFromText(dataText: string): Record<string, unknown>;
}

/** An object that reads as the JSON text's value, parsed on first use (a Proxy over an empty object filled then). */
export function lazilyParsed(text: string): Record<string, unknown> {
  const target: Record<string, unknown> = {};
  let parsed = false;
  const filled = () => {
    if (!parsed) {
      parsed = true;
      Object.assign(target, JSON.parse(text) as object);
    }
    return target;
  };
  return new Proxy(target, {
    get: (_target, key) => Reflect.get(filled(), key),
    set: (_target, key, value) => Reflect.set(filled(), key, value),
    has: (_target, key) => Reflect.has(filled(), key),
    ownKeys: () => Reflect.ownKeys(filled()),
    getOwnPropertyDescriptor: (_target, key) => Reflect.getOwnPropertyDescriptor(filled(), key),
    defineProperty: (_target, key, descriptor) => Reflect.defineProperty(filled(), key, descriptor),
    deleteProperty: (_target, key) => Reflect.deleteProperty(filled(), key),
  });
}

const serialize = (result: FormattedExecutionResult) => `${JSON.stringify(result)}\n`;

export function sharedResponseSerializer(): ResponseSerializer {
  // Weak: a text lives as long as some request still holds the answer's data.
  const texts = new WeakMap<object, { text: string; written: number }>();
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
      let answer = texts.get(data);
      if (answer === undefined) texts.set(data, (answer = { text: serialize(result), written: 0 }));
      // Encoded once a second request writes it: most answers are written once, and their
      // bytes are made by the write itself.
      if (++answer.written === 2) keepEncoded(answer.text);
      return answer.text;
    },
    encodeBody: (text) => encoded.get(text) ?? text,
    dataFromText(dataText) {
      const data = lazilyParsed(dataText);
      texts.set(data, { text: `{"data":${dataText}}\n`, written: 0 });
      return data;
    },
  };
}
