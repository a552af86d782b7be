// Counting tokens the way the model reads them: gpt-tokenizer's o200k_base, the encoding of
// OpenAI's current models (for other providers' models an estimate, close enough for a
// budget). Loaded on first use: its tables take about 0.4 s, which start-up need not pay.
import type { CompletionMessage } from './completion.js';

/** What a chat message costs beyond its text (role and separators), and priming the reply. */
export const MESSAGE_OVERHEAD = 4;
export const REPLY_PRIMING = 3;

export interface Tokenizer {
  count(text: string): number;
  /** The longest start of `text` of at most `max` tokens. */
  truncate(text: string, max: number): string;
  /** What a chat message costs in a request. */
  cost(message: CompletionMessage): number;
}

// Text that spells a special token (<|endoftext|>) is only text here.
const PLAIN = { disallowedSpecial: new Set<string>() };
let loading: Promise<Tokenizer> | undefined;

export function tokenizer(): Promise<Tokenizer> {
  loading ??= import('gpt-tokenizer').then(({ countTokens, encode, decode }) => {
    const count = (text: string) => countTokens(text, PLAIN);
    return {
      count,
      truncate(text, max) {
        const encoded = encode(text, PLAIN);
        return encoded.length <= max ? text : decode(encoded.slice(0, Math.max(0, max)));
      },
      cost: (message) => count(message.content) + MESSAGE_OVERHEAD,
    };
  });
  return loading;
}
