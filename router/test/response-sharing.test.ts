// The pieces behind shared executions: work shared while in flight, and answers serialized and
// encoded once.
import { InFlight } from '../src/shared-execution/in-flight.js';
import { sharedResponseSerializer } from '../src/shared-execution/response-serializer.js';

describe('InFlight', () => {
  test('callers of one key share the running work; the key is free again once it settles', async () => {
    const inFlight = new InFlight<number>();
    let started = 0;
    const work = () => Promise.resolve(++started);
    const [a, b] = [inFlight.share('k', work), inFlight.share('k', work)];
    expect(a).toBe(b);
    expect(await a).toBe(1);
    expect(inFlight.size).toBe(0);
    expect(await inFlight.share('k', work)).toBe(2);
  });

  test('different keys run separately', async () => {
    const inFlight = new InFlight<string>();
    expect(await Promise.all([inFlight.share('a', async () => 'a'), inFlight.share('b', async () => 'b')])).toEqual(['a', 'b']);
  });

  test('a failure reaches every caller and is not kept', async () => {
    const inFlight = new InFlight<string>();
    const failing = () => Promise.reject(new Error('boom'));
    const callers = [inFlight.share('k', failing), inFlight.share('k', failing)];
    for (const caller of callers) await expect(caller).rejects.toThrow('boom');
    expect(await inFlight.share('k', async () => 'fine')).toBe('fine');
  });
});

describe('sharedResponseSerializer', () => {
  const answer = { data: { user: { id: '1', name: 'Zoë' } } };

  test('writes what Apollo Server writes: compact JSON and a newline', () => {
    const { stringifyResult } = sharedResponseSerializer();
    expect(stringifyResult({ errors: undefined, data: answer.data, extensions: undefined })).toBe(`${JSON.stringify(answer)}\n`);
  });

  test('one answer shared by several requests is serialized once, and encoded once a second request writes it', () => {
    const { stringifyResult, encodeBody } = sharedResponseSerializer();
    const first = stringifyResult({ data: answer.data });
    // Written once so far: its write makes its bytes.
    expect(encodeBody(first)).toBe(first);
    const second = stringifyResult({ data: answer.data });
    expect(second).toBe(first);
    const bytes = encodeBody(second);
    expect(bytes).toBeInstanceOf(Buffer);
    expect(encodeBody(first)).toBe(bytes);
    expect(Buffer.from(bytes).toString('utf8')).toBe(first);
  });

  test('only the latest few MB of encoded answers are kept', () => {
    const { stringifyResult, encodeBody } = sharedResponseSerializer();
    const texts = Array.from({ length: 12 }, (_, i) => {
      const data = { blob: `${i}`.padEnd(1_000_000, '.') };
      stringifyResult({ data });
      return stringifyResult({ data });
    });
    expect(typeof encodeBody(texts[0]!)).toBe('string');
    expect(encodeBody(texts[11]!)).toBeInstanceOf(Buffer);
    // Equal answers of separate executions are kept once.
    const again = stringifyResult({ data: { blob: '11'.padEnd(1_000_000, '.') } });
    expect(encodeBody(again)).toBe(encodeBody(texts[11]!));
    expect(encodeBody(texts[5]!)).toBeInstanceOf(Buffer);
  });

  test('an answer an executor wrote as text is written as it is, and reads as its value', () => {
    const { stringifyResult, dataFromText } = sharedResponseSerializer();
    const dataText = '{"user":{"id":"1","name":"Zo\\u00eb","tags":[1,null]}}';
    const data = dataFromText(dataText);
    expect(stringifyResult({ data })).toBe(`{"data":${dataText}}\n`);
    expect(data.user).toEqual({ id: '1', name: 'Zoë', tags: [1, null] });
    expect(Object.keys(data)).toEqual(['user']);
    expect(JSON.stringify({ data })).toBe('{"data":{"user":{"id":"1","name":"Zoë","tags":[1,null]}}}');
  });

  test('answers with errors are written as they are, each on its own', () => {
    const { stringifyResult, encodeBody } = sharedResponseSerializer();
    const text = stringifyResult({ data: null, errors: [{ message: 'no' }] });
    expect(text).toBe('{"data":null,"errors":[{"message":"no"}]}\n');
    expect(encodeBody(text)).toBe(text);
  });
});
