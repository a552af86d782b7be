// The executor's JSON text of single values is JSON.stringify's, character for character.
import { jsonString, jsonValue } from '../../src/plan-executor/json-text.js';

const STRINGS = ['', 'plain', 'Zoë 東京 🚀', 'quote " here', 'back\\slash', 'tab\tnew\nline\r', '\u0000\u001f\u007f', 'lone \ud800 high', 'lone \udc00 low', 'pair \ud83d\ude80', '\u2028\u2029', '</script>'];

test.each(STRINGS)('string %j is written as JSON.stringify writes it', (value) => {
  expect(jsonString(value)).toBe(JSON.stringify(value));
  expect(jsonValue(value)).toBe(JSON.stringify(value));
});

test.each([0, -0, 1, -7, 1.5, 1e21, 1e-7, Number.MAX_SAFE_INTEGER, NaN, Infinity, true, false, null, [1, 'a', null], { a: { b: [true] } }])('value %j is written as JSON.stringify writes it', (value) => {
  expect(jsonValue(value)).toBe(JSON.stringify(value));
});
