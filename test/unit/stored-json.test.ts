import { storableJson } from '../../functions/core/store/text';
import { createDataset } from '../../infra/local/spacex-api/dataset';
import { HOSTILE_TEXT } from '../../infra/local/spacex-api/faults';
import { contentHashOf, storedForm, storedJson } from '../helpers/invariants';

/**
 * The invariants compute the storage rule (NUL and unpaired surrogates become U+FFFD) on values,
 * independently of the store's code, which rewrites escapes in the JSON text: both must agree.
 */
const cases: [string, unknown][] = [
  ['plain', { a: 'text', n: 1.5, b: true, z: null, list: [1, 'two', { three: 3 }] }],
  ['NUL', { a: 'x\u0000y', 'k\u0000': 'v' }],
  ['lone high surrogate', { a: 'x\uD800y', end: '\uDBFF' }],
  ['lone low surrogate', { a: 'x\uDC00y', start: '\uDFFF' }],
  ['pair kept, lone ones replaced', { a: '\uD83D\uDE80 \uD800\uD800\uDC00 \uDC00\uD83D' }],
  ['backslashes before NUL and escapes', { a: '\\\u0000', b: '\\\\\u0000', c: '\\u0000', d: 'back\\slash \\ud800' }],
  ['hostile text', { name: HOSTILE_TEXT, details: `${HOSTILE_TEXT}\u0000${HOSTILE_TEXT}` }],
  ['undefined members', { a: undefined, list: [undefined, 1, () => 2], nested: { b: undefined } }],
  ['control characters and U+2028', { a: '\u0001\u001f\n\t\u2028\u2029"' }],
  ['top-level string and number', 'a\u0000b'],
  ['number', 42],
];

describe('the storage rule computed independently', () => {
  it.each(cases)('%s: the same JSON text as the store keeps', (_, value) => {
    expect(storedJson(value)).toBe(storableJson(JSON.stringify(value)));
    expect(JSON.parse(storedJson(value))).toEqual(storedForm(JSON.parse(JSON.stringify(value))));
  });

  it('gives the generated documents the content hash the store gives them', () => {
    const d = createDataset({ launches: 300, seed: 5 });
    const docs = [...d.launches(), ...d.payloadsOfLaunch(120), ...d.rockets(), ...d.launchpads(), ...d.landpads()];
    for (const doc of docs) expect(storedJson(doc)).toBe(JSON.stringify(doc));
    expect(new Set(docs.map(contentHashOf)).size).toBe(docs.length);
  });
});
